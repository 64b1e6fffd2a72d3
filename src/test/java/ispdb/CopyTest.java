package ispdb;

import static ispdb.Cli.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * copy, on each database as the target (and the source): SQLite -> this database -> SQLite gives identical
 * exports; an empty target gets the schema; a target with rows is refused; a bad row of the source is reported
 * as TABLE:N and nothing is written; the journal records the copy. The whole round SQLite -> PostgreSQL ->
 * MariaDB -> SQLite is in {@link #aroundAllThree()}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.TestDatabase#kinds")
class CopyTest extends DatabaseTest {
    static final List<String> TABLES = ExportTest.TABLES;

    private void init(TestDatabase d) {
        Cli.Run init = cli.run("init-schema", "--url", d.url());
        assertEquals(0, init.exitCode(), init::toString);
    }

    private void loadFixtures(TestDatabase d) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fixtures"));
        Files.writeString(dir.resolve("payment-methods.csv"), ExportTest.PAYMENT_METHODS, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("customers.csv"), ExportTest.CUSTOMERS, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("transactions.csv"), ExportTest.TRANSACTIONS, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("predictions.csv"), ExportTest.PREDICTIONS, StandardCharsets.UTF_8);
        Cli.Run load = cli.run("load-csv", "--url", d.url(), "--dir", dir.toString(), "-q");
        assertEquals(0, load.exitCode(), load::toString);
    }

    /** Every table's export, one after the other. */
    private String exports(TestDatabase d) {
        StringBuilder s = new StringBuilder();
        for (String table : TABLES) {
            Cli.Run r = cli.run("export", "--url", d.url(), "--table", table);
            assertEquals(0, r.exitCode(), r::toString);
            s.append(r.out());
        }
        return s.toString();
    }

    private Cli.Run copy(TestDatabase from, TestDatabase to) {
        return cli.run("copy", "--from", from.url(), "--to", to.url());
    }

    @Test
    void sqliteToHereAndBackGivesIdenticalExportsIntoAnEmptyDatabase() throws IOException {
        try (TestDatabase lite = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
                TestDatabase back = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp)) {
            init(lite);
            loadFixtures(lite);
            String expected = exports(lite);
            // db is empty, without the schema: copy creates it
            Cli.Run there = copy(lite, db);
            assertEquals(0, there.exitCode(), there::toString);
            assertEquals("", there.err(), there::toString);
            assertTrue(there.out().matches("loaded 21 rows into dim_payment_method \\(3\\), dim_customer \\(4\\), "
                    + "fact_transaction \\(11\\), clv_prediction \\(3\\) in [0-9.]+ s \\([0-9,]+ rows/s\\)\\n"),
                    there::toString);
            assertEquals(expected, exports(db));
            // back into a SQLite file that does not exist yet
            Cli.Run home = copy(db, back);
            assertEquals(0, home.exitCode(), home::toString);
            assertEquals(expected, exports(back));
            // the journal: one entry per table, the export's digest, the source without its password
            Cli.Run history = cli.run("history", "--url", db.url(), "--format", "csv");
            assertTrue(history.out().contains(",copy,fact_transaction," + lite.url() + " fact_transaction,"),
                    history::toString);
            // a prediction appended after the copy gets a new id (PostgreSQL's sequence was moved past the ids)
            Cli.Run more = cli.run("record-prediction", "--url", db.url(), "--customer", "1", "--clv", "5");
            assertEquals(0, more.exitCode(), more::toString);
            assertEquals("8", more.out().strip(), more::toString);
        }
    }

    @Test
    void aTargetWithRowsIsRefusedAndABadSourceRowNamesTableAndRow() throws Exception {
        try (TestDatabase lite = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp)) {
            init(lite);
            loadFixtures(lite);
            init(db);
            loadFixtures(db);
            String before = db.snapshot();
            Cli.Run full = copy(lite, db);
            assertEquals(2, full.exitCode(), full::toString);
            assertTrue(full.err().contains(" already has rows in dim_payment_method (3), dim_customer (4), "
                    + "fact_transaction (11), clv_prediction (3): copy into an empty database"), full::toString);
            assertNoStackTrace(full);
            assertEquals(before, db.snapshot());

            // an orphan in the source (written with foreign keys off), and an age out of its domain
            try (Connection c = DriverManager.getConnection(lite.url()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO fact_transaction VALUES (12, 99, 0, '2022-10-25 09:20:54.000000', 1.5)");
                s.execute("UPDATE dim_customer SET age = 131 WHERE customer_id = 2");
            }
            try (TestDatabase empty = TestDatabase.create(kind, tmp)) {
                init(empty);
                String emptySnapshot = empty.snapshot();
                Cli.Run bad = copy(lite, empty);
                assertEquals(1, bad.exitCode(), bad::toString);
                assertEquals("dim_customer:3: age: out of range: 131 (age is 0 to 130)\n"
                        + "fact_transaction:11: customer_id: unknown customer 99\n"
                        + "rejected: 2 bad rows, nothing was loaded (fix them, or load the good rows with --on-error "
                        + "skip --reject-file FILE)\n", bad.err());
                assertEquals(emptySnapshot, empty.snapshot());
            }
        }
    }
}
