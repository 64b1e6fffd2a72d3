package ispdb.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real application, loading a large transactions file in a child process, killed with SIGKILL at several
 * moments of the load: the table then holds none of that load's rows or all of them, the database is intact, and
 * the next load works. The file is large enough (over 16 MiB) for the bulk path, which on SQLite drops the table's
 * indexes and builds them again in the same transaction (and on MariaDB turns off the session's foreign-key
 * checks): after any kill the schema is exactly the migrated one, compared catalog to catalog.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("ispdb.testing.TestDatabase#kinds")
class SafetyCrashTest extends DatabaseTest {
    static final int CUSTOMERS = 2000;
    static final int ROWS = 380_000;

    /** When the SIGKILL comes. */
    enum Moment {
        /** 200 ms after the start: the JVM is still starting. */
        AFTER_200_MS,
        /** once the load has read 5% of the file: its first batches are written. */
        AFTER_5_PERCENT,
        /** once the load has read 60% of the file. */
        AFTER_60_PERCENT,
        /** once the load has read all of the file: it is writing the last rows, indexing or committing. */
        AFTER_100_PERCENT
    }

    private static Path bigFile;

    @BeforeEach
    void schemaAndCustomers() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "needs Linux /proc");
        SafetySupport.prepare(db, tmp, CUSTOMERS);
    }

    static synchronized Path bigFile() throws IOException {
        if (bigFile == null) {
            Path dir = Files.createTempDirectory("ispdb-safety-crash-");
            dir.toFile().deleteOnExit();
            bigFile = SafetySupport.transactions(dir, "transactions.csv", 1, ROWS, CUSTOMERS);
            bigFile.toFile().deleteOnExit();
            assertTrue(Files.size(bigFile) > 16 << 20, "the file must take the bulk path");
        }
        return bigFile;
    }

    @ParameterizedTest(name = "SIGKILL {0}")
    @EnumSource(Moment.class)
    void aKilledLoadLeavesAllOrNothingAndTheDatabaseWorks(Moment moment) throws Exception {
        Path file = bigFile();
        String before = dimensions();
        SafetySupport.Child load = SafetySupport.start(tmp, "load-csv", "--url", db.url(), "--table", "transactions",
                file.toString());
        switch (moment) {
            case AFTER_200_MS -> Thread.sleep(200);
            case AFTER_5_PERCENT -> SafetySupport.awaitRead(load, file, Files.size(file) / 20);
            case AFTER_60_PERCENT -> SafetySupport.awaitRead(load, file, Files.size(file) * 3 / 5);
            case AFTER_100_PERCENT -> SafetySupport.awaitRead(load, file, Files.size(file));
        }
        boolean killedRunning = load.isAlive();
        load.kill();
        String output = "killed " + (killedRunning ? "while running" : "after it ended") + "; its stderr: "
                + SafetySupport.read(load.err);

        long rows = db.count("SELECT COUNT(*) FROM fact_transaction");
        assertTrue(rows == 0 || rows == ROWS, "all or nothing, but fact_transaction has " + rows + " rows; " + output);
        assertEquals(before, dimensions(), "the other tables are as they were; " + output);
        intact(output);

        // the next load works
        Path more = SafetySupport.transactions(tmp, "more.csv", ROWS + 1, 10, CUSTOMERS);
        Cli.Run next = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions", more.toString());
        assertEquals(0, next.exitCode(), next::toString);
        assertEquals(rows + 10, db.count("SELECT COUNT(*) FROM fact_transaction"));
        System.out.println("SafetyCrashTest " + kind + ", SIGKILL " + moment + ": " + output.strip() + "; rows after: "
                + rows);
        intact(output);
    }

    private String dimensions() {
        return db.count("SELECT COUNT(*) FROM dim_customer") + " customers, "
                + db.count("SELECT COUNT(*) FROM dim_payment_method") + " payment methods, "
                + db.count("SELECT COUNT(*) FROM clv_prediction") + " predictions";
    }

    /**
     * The database passes its own checks, its schema is exactly the migrated one (the catalog of a fresh
     * init-schema: every index and foreign key the bulk path dropped is back), and no transaction has an unknown
     * customer.
     */
    private void intact(String output) {
        if (kind == TestDatabase.Kind.SQLITE) {
            assertEquals(List.of(List.of("ok")), db.query("PRAGMA integrity_check"), output);
            assertEquals(List.of(), db.query("PRAGMA foreign_key_check"), output);
        }
        assertEquals(migratedCatalog(), db.catalog(), output);
        assertEquals(0, db.count("SELECT COUNT(*) FROM fact_transaction t "
                + "LEFT JOIN dim_customer c ON c.customer_id = t.customer_id WHERE c.customer_id IS NULL"), output);
    }
}
