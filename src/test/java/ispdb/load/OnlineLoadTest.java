package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bulk load (the path that, on SQLite, drops the table's indexes and builds them again at the end; on MariaDB
 * skips the session's foreign-key checks) runs beside readers and appenders: held open on a FIFO the test writes
 * to, it does not stop list-customers, plain SELECTs or (SQLite) a Python sqlite3 read, and record-prediction
 * either lands at once (servers) or gives up after --busy-timeout saying that a load is writing (SQLite). After a
 * load that succeeded or was rejected the schema is exactly the migrated one, compared catalog to catalog (after a
 * SIGKILL: {@link ispdb.safety.SafetyCrashTest}). The children take the bulk path with small files through the test-only
 * system property {@code ispdb.test.bulkLoadBytes=0}.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("ispdb.testing.TestDatabase#kinds")
class OnlineLoadTest extends DatabaseTest {
    static final int CUSTOMERS = 500;
    static final List<String> BULK = List.of("-Dispdb.test.bulkLoadBytes=0");
    /** A reader or appender that takes longer than this while the load is held open has waited for it. */
    static final long BOUND_SECONDS = 30;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void schemaAndCustomers() {
        SafetySupport.prepare(db, tmp, CUSTOMERS);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void readersAndAppendsGoOnBesideABulkLoadHeldOpen() throws Exception {
        Path fifo = tmp.resolve("transactions.csv");
        mkfifo(fifo);
        int rows = 60_000;
        SafetySupport.Child load = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", db.url(),
                "--table", "transactions", fifo.toString());
        StringBuilder line = new StringBuilder();
        try (OutputStream in = within("the load to open its input", () -> Files.newOutputStream(fifo), load, fifo)) {
            write(in, "transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
            for (int id = 1; id <= rows / 2; id++) {
                write(in, SafetySupport.transactionLine(line, id, CUSTOMERS));
            }
            in.flush();
            // 2 MB written through a 64 KiB pipe: the load has read its header, taken the bulk path and sent rows
            assertTrue(SafetySupport.awaitWriting(db, "fact_transaction", load, 60_000),
                    () -> "the load never started writing: " + SafetySupport.read(load.err));

            Cli.Run list = within("list-customers", () -> new Cli().run("list-customers", "--url", db.url(),
                    "--limit", "5", "--busy-timeout", "1000"), load, null);
            assertEquals(0, list.exitCode(), list::toString);
            assertTrue(list.out().contains("(5 customers)"), list::toString);
            for (String table : List.of("dim_payment_method", "dim_customer", "fact_transaction", "clv_prediction")) {
                long count = within("SELECT COUNT(*) FROM " + table, () -> db.count("SELECT COUNT(*) FROM " + table),
                        load, null);
                assertEquals(table.equals("dim_customer") ? CUSTOMERS : table.equals("dim_payment_method") ? 5 : 0,
                        count, table + ": a reader sees the last committed state");
            }
            if (kind == TestDatabase.Kind.SQLITE) {
                pythonReads(load);
            }

            Cli.Run append = within("record-prediction", () -> new Cli().run("record-prediction", "--url",
                    db.url(), "--customer", "7", "--clv", "111.25", "--type", "During", "--busy-timeout", "500"),
                    load, null);
            if (kind == TestDatabase.Kind.SQLITE) {
                // one writer at a time: the cron job gives up after its busy timeout, saying why, having written nothing
                assertEquals(3, append.exitCode(), append::toString);
                String sentence = append.err().strip();
                assertAll(append::toString,
                        () -> assertFalse(sentence.contains("\n"), sentence),
                        () -> assertTrue(sentence.contains("another program is writing to the database (a load"),
                                sentence),
                        () -> assertTrue(sentence.contains("500 ms"), sentence),
                        () -> assertTrue(sentence.contains("--busy-timeout"), sentence));
                assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction"));
            } else {
                // servers: the append commits at once, beside the open load
                assertEquals(0, append.exitCode(), append::toString);
                assertEquals(1, db.count("SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = "
                        + "'During'"));
            }
            assertTrue(load.isAlive(), () -> "the load ended while its input was open: "
                    + SafetySupport.read(load.err));

            for (int id = rows / 2 + 1; id <= rows; id++) {
                write(in, SafetySupport.transactionLine(line, id, CUSTOMERS));
            }
        }
        Cli.Run loaded = load.await();
        assertEquals(0, loaded.exitCode(), loaded::toString);
        assertTrue(loaded.err().contains("bulk load into fact_transaction"), loaded::toString);
        assertEquals(rows, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(migratedCatalog(), db.catalog());
        if (kind == TestDatabase.Kind.SQLITE) {
            Cli.Run after = new Cli().run("record-prediction", "--url", db.url(), "--customer", "7", "--clv",
                    "111.25", "--type", "After");
            assertEquals(0, after.exitCode(), after::toString);
        }
    }

    @Test
    void theSchemaAfterABulkLoadThatSucceededOrWasRejectedIsTheMigratedSchema() {
        String migrated = migratedCatalog();
        assertEquals(migrated, db.catalog());
        Path good = SafetySupport.transactions(tmp, "good.csv", 1, 5000, CUSTOMERS);
        Cli.Run loaded = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", db.url(), "--table",
                "transactions", good.toString()).await();
        assertEquals(0, loaded.exitCode(), loaded::toString);
        assertTrue(loaded.err().contains("bulk load into fact_transaction"), loaded::toString);
        assertEquals(5000, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(migrated, db.catalog(), "after a bulk load");

        Path bad = SafetySupport.write(tmp, "bad.csv", w -> {
            w.write("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
            StringBuilder line = new StringBuilder();
            for (int id = 5001; id <= 9000; id++) {
                w.write(SafetySupport.transactionLine(line, id, CUSTOMERS));
            }
            w.write("9001,999999,1,2022-01-01 00:00:00.000000,1.00\n");
        });
        Cli.Run rejected = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", db.url(), "--table",
                "transactions", bad.toString()).await();
        assertEquals(1, rejected.exitCode(), rejected::toString);
        assertTrue(rejected.err().contains("bulk load into fact_transaction"), rejected::toString);
        assertEquals(5000, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(migrated, db.catalog(), "after a rejected bulk load");
    }

    /**
     * An index changed after init-schema (as a later migration would change it) is what the next bulk load leaves:
     * what it drops and builds again comes from the catalog, not from a copy of the first migration.
     */
    @Test
    void aBulkLoadKeepsAnIndexAsTheCatalogHasIt() {
        String ix = "ix_fact_transaction_transaction_date";
        switch (kind) {
            case MARIADB, SPIDER -> db.update("ALTER TABLE fact_transaction DROP INDEX " + ix + ", ADD INDEX " + ix
                    + " (transaction_date, amount)");
            default -> {
                db.update("DROP INDEX " + ix);
                db.update("CREATE INDEX " + ix + " ON fact_transaction (transaction_date, amount)");
            }
        }
        String changed = db.catalog();
        assertNotEquals(migratedCatalog(), changed);
        Path file = SafetySupport.transactions(tmp, "transactions.csv", 1, 3000, CUSTOMERS);
        Cli.Run loaded = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", db.url(), "--table",
                "transactions", file.toString()).await();
        assertEquals(0, loaded.exitCode(), loaded::toString);
        assertTrue(loaded.err().contains("bulk load into fact_transaction"), loaded::toString);
        assertEquals(changed, db.catalog());
        if (kind == TestDatabase.Kind.SQLITE) {
            assertEquals(List.of(List.of("ok")), db.query("PRAGMA integrity_check"));
        }
    }

    /**
     * PostgreSQL: a bulk load locks the parent tables against writers (SHARE) to skip the per-row key checks;
     * when another session is writing a parent (here: an update of a customer, not committed) it does not wait
     * for it beyond 2 s: it keeps the checks on, loads, and leaves the schema as it was.
     */
    @Test
    void aBulkLoadThatCannotLockTheParentsKeepsTheKeyChecksAndLoads() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == TestDatabase.Kind.POSTGRESQL,
                "the parents' lock is PostgreSQL's");
        Path file = SafetySupport.transactions(tmp, "transactions.csv", 1, 3000, CUSTOMERS);
        Cli.Run loaded;
        try (java.sql.Connection writer = db.connect(); java.sql.Statement s = writer.createStatement()) {
            writer.setAutoCommit(false);
            s.executeUpdate("UPDATE dim_customer SET age = age + 1 WHERE customer_id = 1");
            loaded = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", db.url(), "--table", "transactions",
                    file.toString()).await();
            writer.rollback();
        }
        assertEquals(0, loaded.exitCode(), loaded::toString);
        assertTrue(loaded.err().contains("bulk load into fact_transaction: the per-row key checks stay on"),
                loaded::toString);
        assertEquals(3000, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(migratedCatalog(), db.catalog());

        Path more = SafetySupport.transactions(tmp, "more.csv", 3001, 3000, CUSTOMERS);
        Cli.Run unhindered = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", db.url(), "--table",
                "transactions", more.toString()).await();
        assertEquals(0, unhindered.exitCode(), unhindered::toString);
        assertTrue(unhindered.err().contains("per-row key checks off"), unhindered::toString);
        assertEquals(6000, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(migratedCatalog(), db.catalog());
    }

    /**
     * PostgreSQL, as an ordinary user (not a superuser, no {@code SET ON PARAMETER} grant): the bulk path may not
     * set {@code session_replication_role}, so it keeps the per-row key checks, loads, and leaves the schema as
     * the migrations made it.
     */
    @Test
    void aUserWhoMayNotSkipTheKeyChecksLoadsWithThemOn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == TestDatabase.Kind.POSTGRESQL,
                "session_replication_role is PostgreSQL's");
        String role = "ispdb_test_loader_" + ProcessHandle.current().pid() + "_" + (System.nanoTime() % 1_000_000);
        db.update("CREATE ROLE " + role + " LOGIN NOSUPERUSER");
        try {
            db.update("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
            db.update("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + role);
            String url = db.url() + (db.url().contains("?") ? "&" : "?") + "user=" + role;
            Path file = SafetySupport.transactions(tmp, "transactions.csv", 1, 3000, CUSTOMERS);
            Cli.Run loaded = SafetySupport.start(tmp, BULK, "load-csv", "-v", "--url", url, "--table",
                    "transactions", file.toString()).await();
            assertEquals(0, loaded.exitCode(), loaded::toString);
            assertTrue(loaded.err().contains("bulk load into fact_transaction: the per-row key checks stay on"),
                    loaded::toString);
            assertTrue(loaded.err().contains("session_replication_role"), loaded::toString);
            assertEquals(3000, db.count("SELECT COUNT(*) FROM fact_transaction"));
            assertEquals(1, db.count("SELECT COUNT(*) FROM load_journal WHERE table_name = 'fact_transaction'"));
            assertEquals(migratedCatalog(), db.catalog());

            // the checks that stayed on are the database's own: ispdb's did not let an orphan through either way
            Path orphan = tmp.resolve("orphan.csv");
            Files.writeString(orphan, "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                    + "9001," + (CUSTOMERS + 1) + ",1,2024-01-01 00:00:00,1.00\n");
            Cli.Run refused = SafetySupport.start(tmp, BULK, "load-csv", "--url", url, "--table", "transactions",
                    orphan.toString()).await();
            assertEquals(1, refused.exitCode(), refused::toString);
            assertEquals(3000, db.count("SELECT COUNT(*) FROM fact_transaction"));
        } finally {
            db.update("DROP OWNED BY " + role);
            db.update("DROP ROLE " + role);
        }
    }

    /** An analyst's Python sqlite3 read of the file, while the load writes: it answers, with the committed rows. */
    private void pythonReads(SafetySupport.Child load) throws Exception {
        String python = findOnPath("python3");
        if (python == null) {
            System.err.println("SKIPPED: python3 is not installed: the Python sqlite3 read during a load is not tested"
                    + " (.ci/run installs it)");
            return;
        }
        String file = db.url().substring("jdbc:sqlite:".length());
        Process p = new ProcessBuilder(python, "-c", "import sqlite3, sys\n"
                + "c = sqlite3.connect(sys.argv[1], timeout=1)\n"
                + "print(*(c.execute('SELECT COUNT(*) FROM ' + t).fetchone()[0] for t in "
                + "('dim_customer', 'fact_transaction')))\n", file).redirectErrorStream(true).start();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("a Python sqlite3 read waited " + BOUND_SECONDS + " s for the load");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        assertEquals(CUSTOMERS + " 0", out);
        assertTrue(load.isAlive(), "the load was still open while Python read");
    }

    /**
     * What {@code work} returns, if it finishes within {@link #BOUND_SECONDS} while the load is still running
     * (a reader that waited for the load's commit would not).
     */
    private <T> T within(String what, Callable<T> work, SafetySupport.Child load, Path fifo) throws Exception {
        Future<T> result = pool.submit(work);
        try {
            return result.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            if (fifo != null) {
                // unblock a writer's open of the FIFO that no reader will ever open
                try (var unblock = Files.newInputStream(fifo)) {
                    result.cancel(true);
                }
            }
            fail(what + " did not finish within " + BOUND_SECONDS + " s beside the load: "
                    + SafetySupport.read(load.err));
            return null;
        }
    }

    private static void mkfifo(Path fifo) throws Exception {
        String mkfifo = findOnPath("mkfifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo != null, "SKIPPED: needs mkfifo (coreutils)");
        Process p = new ProcessBuilder(mkfifo, fifo.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), () -> "mkfifo failed");
    }

    private static String findOnPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
