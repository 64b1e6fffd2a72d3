package ispdb.load;

import static ispdb.testing.Cli.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.RoundTripData;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
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
@MethodSource("ispdb.testing.TestDatabase#kinds")
class CopyTest extends DatabaseTest {
    private void loadFixtures(TestDatabase d) throws IOException {
        RoundTripData.load(cli, d, tmp);
    }

    /** Every table's export, one after the other. */
    private String exports(TestDatabase d) {
        return RoundTripData.exports(cli, d);
    }

    private Cli.Run copy(TestDatabase from, TestDatabase to) {
        return cli.run("copy", "--from", from.url(), "--to", to.url());
    }

    @Test
    void sqliteToHereAndBackGivesIdenticalExportsIntoAnEmptyDatabase() throws IOException {
        try (TestDatabase lite = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
                TestDatabase back = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp)) {
            initSchema(lite);
            loadFixtures(lite);
            String expected = exports(lite);
            // db is empty, without the schema: copy creates it
            Cli.Run there = copy(lite, db);
            assertEquals(0, there.exitCode(), there::toString);
            assertEquals("", there.err(), there::toString);
            assertTrue(there.out().matches("loaded 21 rows into dim_payment_method \\(3\\), dim_customer \\(4\\), "
                    + "fact_transaction \\(11\\), clv_prediction \\(3\\) in [0-9.]+ s \\([0-9,]+ rows?/s\\)\\n"),
                    there::toString);
            assertEquals(expected, exports(db));
            // the copied transactions' customers have their purchase summaries, as the source's
            assertEquals(lite.count("SELECT COUNT(*) FROM customer_purchase_summary"),
                    db.count("SELECT COUNT(*) FROM customer_purchase_summary"));
            assertTrue(db.count("SELECT COUNT(*) FROM customer_purchase_summary") > 0);
            assertEquals(lite.count("SELECT COUNT(*) FROM monthly_revenue"),
                    db.count("SELECT COUNT(*) FROM monthly_revenue"));
            assertTrue(db.count("SELECT COUNT(*) FROM monthly_revenue") > 0);
            Cli.Run check = cli.run("check", "--url", db.url(), "--format", "csv");
            assertFalse(check.out().contains("stale-summary"), check::toString);
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
            initSchema(lite);
            loadFixtures(lite);
            initSchema(db);
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
                initSchema(empty);
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

    /** Transactions in {@link #largeSource}: enough for copy's bulk path (DatabaseRows takes it from 200,000 rows). */
    static final int LARGE_ROWS = 200_000;

    /** A SQLite database with the schema, 1,000 customers and {@link #LARGE_ROWS} transactions. */
    private TestDatabase largeSource() throws Exception {
        TestDatabase lite = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
        initSchema(lite);
        try (Connection c = DriverManager.getConnection(lite.url()); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO dim_payment_method VALUES (0, 'Cash'), (1, 'Credit card')");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
                    + "INSERT INTO dim_customer SELECT i, 20 + i % 50, CASE i % 2 WHEN 0 THEN 'Male' ELSE 'Female' "
                    + "END, NULL, NULL, NULL, NULL FROM n");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + LARGE_ROWS
                    + ") INSERT INTO fact_transaction SELECT i, 1 + i % 1000, i % 2, "
                    + "strftime('%Y-%m-%d %H:%M:%S', 1600000000 + i * 97, 'unixepoch') || '.000000', "
                    + "(i % 10000) / 100.0 FROM n");
            c.commit();
        }
        return lite;
    }

    /**
     * A copy into a database it creates loads the large table in one pass and builds its indexes at the end (on
     * PostgreSQL it drops them first: nobody else uses the new database yet); the schema afterwards is exactly what
     * init-schema makes, and the rows are the source's.
     */
    @Test
    void aCopyIntoANewDatabaseLeavesTheMigratedSchema() throws Exception {
        String migrated = migratedCatalog();
        try (TestDatabase lite = largeSource()) {
            Cli.Run copied = SafetySupport.start(tmp, List.of(), "copy", "-v", "--from", lite.url(), "--to",
                    db.url()).await();
            assertEquals(0, copied.exitCode(), copied::toString);
            assertTrue(copied.err().contains("bulk load into fact_transaction: "
                    + (kind.mariadb() ? 0 : 3) + " secondary indexes dropped"), copied::toString);
            assertEquals(migrated, db.catalog());
            assertEquals(LARGE_ROWS, db.count("SELECT COUNT(*) FROM fact_transaction"));
            assertEquals(lite.count("SELECT SUM(customer_id * 7 + payment_method_id) FROM fact_transaction"),
                    db.count("SELECT SUM(customer_id * 7 + payment_method_id) FROM fact_transaction"));
            if (kind == TestDatabase.Kind.POSTGRESQL) {
                // the rebuilt indexes are whole: a lookup through each finds the rows
                db.update("SET enable_seqscan = off");
                assertEquals(200, db.count("SELECT COUNT(*) FROM fact_transaction WHERE customer_id = 7"));
            }
        }
    }

    /**
     * PostgreSQL: a copy into a new database that another session has opened already (here it holds a read of
     * fact_transaction open) does not wait for it: the index drop gives up after its 2 s lock timeout, the copy
     * loads with the indexes kept, and the reader is never stopped.
     */
    @Test
    void aCopyIntoANewDatabaseThatSomebodyReadsKeepsTheIndexesAndDoesNotWait() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == TestDatabase.Kind.POSTGRESQL,
                "only PostgreSQL's copy drops indexes");
        String migrated = migratedCatalog();
        try (TestDatabase lite = largeSource()) {
            initSchema(db);
            String indexOids = "SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid) FROM pg_index "
                    + "WHERE indrelid = 'fact_transaction'::regclass";
            Object before = db.query(indexOids).get(0).get(0);
            try (Connection reader = db.connect(); Statement read = reader.createStatement()) {
                reader.setAutoCommit(false);
                read.executeQuery("SELECT COUNT(*) FROM fact_transaction").close(); // holds ACCESS SHARE
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> {
                    try (ispdb.db.Database from = ispdb.db.Database.open(
                                    new ispdb.db.Database.Settings(lite.url(), null, null, 5000), false);
                            ispdb.db.Database to = ispdb.db.Database.open(
                                    new ispdb.db.Database.Settings(db.url(), null, null, 5000), true)) {
                        ispdb.load.LoadResult r = ispdb.load.DatabaseCopy.copy(from, lite.url(), to,
                                ispdb.load.LoadProgress.NONE, true);
                        assertEquals(LARGE_ROWS + 1002, r.loaded());
                    }
                });
                // the reader went on reading all along
                read.executeQuery("SELECT COUNT(*) FROM dim_customer").close();
                reader.commit();
            }
            assertEquals(before, db.query(indexOids).get(0).get(0), "the indexes were not dropped");
            assertEquals(migrated, db.catalog());
            assertEquals(LARGE_ROWS, db.count("SELECT COUNT(*) FROM fact_transaction"));
        }
    }
}
