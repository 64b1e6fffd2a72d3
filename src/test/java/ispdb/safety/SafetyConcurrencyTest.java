package ispdb.safety;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several ispdb processes on one SQLite file at once: a writer that finds the database held waits up to
 * --busy-timeout and then succeeds, or gives up with exit code 3 and one sentence naming --busy-timeout, having
 * written nothing; writers started together all get their turn.
 */
class SafetyConcurrencyTest {
    static final int CUSTOMERS = 500;

    @TempDir
    Path tmp;

    TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
        SafetySupport.prepare(db, tmp, CUSTOMERS);
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) { // null: SQLite is not among ISPDB_TEST_DATABASES, and the test was skipped
            db.close();
        }
    }

    /**
     * A load streaming a big file from a pipe holds SQLite's write lock for as long as the test keeps the pipe
     * open; two record-prediction processes start meanwhile. The one with a tiny --busy-timeout gives up; the
     * one with a long one waits for the load to commit, then writes.
     */
    @Test
    void aWriterWaitsUpToItsBusyTimeoutForALoadThatHoldsTheDatabase() throws Exception {
        int rows = 60_000;
        SafetySupport.Child load = SafetySupport.start(tmp, List.of(), true,
                "load-csv", "--url", db.url(), "--table", "transactions", "-");
        StringBuilder line = new StringBuilder();
        SafetySupport.Child patient;
        Cli.Run impatient;
        try (OutputStream in = load.process.getOutputStream()) {
            write(in, "transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
            for (int id = 1; id <= rows / 3; id++) {
                write(in, SafetySupport.transactionLine(line, id, CUSTOMERS));
            }
            in.flush();
            // the load holds the write lock until it commits, which it cannot do before the rest of its input
            // arrives
            assertTrue(SafetySupport.awaitWriting(db, "fact_transaction", load, 60_000),
                    () -> "the load never started writing: " + SafetySupport.read(load.err));

            patient = SafetySupport.start(tmp, "record-prediction", "--url", db.url(), "--customer", "7",
                    "--clv", "111.25", "--type", "Patient", "--busy-timeout", "60000");
            impatient = SafetySupport.run(tmp, "record-prediction", "--url", db.url(), "--customer", "8",
                    "--clv", "222.5", "--type", "Impatient", "--busy-timeout", "1");
            assertTrue(load.isAlive(), () -> "the load ended while its input was open: "
                    + SafetySupport.read(load.err));

            for (int id = rows / 3 + 1; id <= rows; id++) {
                write(in, SafetySupport.transactionLine(line, id, CUSTOMERS));
            }
        }
        Cli.Run loaded = load.await();
        Cli.Run waited = patient.await();

        assertEquals(0, loaded.exitCode(), loaded::toString);
        assertEquals(rows, db.count("SELECT COUNT(*) FROM fact_transaction"));

        assertEquals(3, impatient.exitCode(), impatient::toString);
        String sentence = impatient.err().strip();
        assertAll(impatient::toString,
                () -> assertTrue(sentence.startsWith("ispdb: "), sentence),
                () -> assertFalse(sentence.contains("\n"), "more than one line: " + sentence),
                () -> assertTrue(sentence.contains("--busy-timeout"), sentence),
                () -> assertTrue(sentence.contains("another program is writing to the database (a load"), sentence),
                () -> assertFalse(sentence.contains("Exception"), sentence),
                () -> assertEquals("", impatient.out()));
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = 'Impatient'"),
                "the process that gave up wrote nothing");

        assertEquals(0, waited.exitCode(), waited::toString);
        long id = Long.parseLong(waited.out().strip());
        assertEquals(List.of(List.of(7L, "Patient")), db.query(
                "SELECT customer_id, predicted_customer_type FROM clv_prediction WHERE prediction_id = " + id)
                .stream().map(r -> List.of(((Number) r.get(0)).longValue(), r.get(1))).toList());
        assertEquals(1, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals("ok", db.query("PRAGMA integrity_check").get(0).get(0));
    }

    /** Eight record-prediction --file processes started at once: each waits its turn, every row lands. */
    @Test
    void eightWritersStartedAtOnceAllSucceed() {
        int writers = 8;
        int each = 200;
        List<SafetySupport.Child> children = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Path file = SafetySupport.predictions(tmp, "predictions-" + w + ".csv", each, CUSTOMERS, "Writer" + w);
            children.add(SafetySupport.start(tmp, "record-prediction", "--url", db.url(), "--file", file.toString()));
        }
        List<Cli.Run> runs = children.stream().map(SafetySupport.Child::await).toList();
        for (int w = 0; w < writers; w++) {
            Cli.Run r = runs.get(w);
            assertEquals(0, r.exitCode(), "writer " + w + ": " + r);
            assertTrue(r.out().startsWith("recorded " + each + " predictions in "), r::toString);
            assertEquals(each, db.count("SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = 'Writer"
                    + w + "'"));
        }
        assertEquals((long) writers * each, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals((long) writers * each, db.count("SELECT COUNT(DISTINCT prediction_id) FROM clv_prediction"));
        assertEquals("ok", db.query("PRAGMA integrity_check").get(0).get(0));
    }

    /**
     * While another program holds the database exclusively in an open write transaction (here the test itself,
     * with a payment method deleted but not committed), readers are not stopped (the file is in WAL mode): they
     * answer at once, even with --busy-timeout 1, and see the last committed state.
     */
    @Test
    void readersAreNotStoppedByAWriterThatHoldsTheDatabase() throws Exception {
        assertEquals("wal", db.query("PRAGMA journal_mode").get(0).get(0), "init-schema puts the file in WAL mode");
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("DELETE FROM dim_payment_method WHERE payment_method_id = 4");
            Cli.Run list = SafetySupport.run(tmp, "list-customers", "--url", db.url(), "--busy-timeout", "1",
                    "--limit", "0", "--format", "csv");
            Cli.Run status = SafetySupport.run(tmp, "schema-status", "--url", db.url(), "--busy-timeout", "1");
            s.execute("ROLLBACK");
            assertEquals(0, list.exitCode(), list::toString);
            assertEquals(CUSTOMERS + 1, list.out().strip().split("\n").length, list::toString);
            assertEquals(0, status.exitCode(), status::toString);
            assertTrue(status.out().matches("(?s).*dim_payment_method\\D+5\\b.*"), status::toString);
        }
        assertEquals(5, db.count("SELECT COUNT(*) FROM dim_payment_method"));
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
