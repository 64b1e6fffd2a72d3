package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * init-schema's DDL does not wait for a lock that another session holds (which would queue every later reader of
 * that table behind it): on PostgreSQL it gives up after its lock_timeout of 5 s, changes nothing and says why
 * (exit code 3); run again once the lock is gone, it upgrades the schema. (PostgreSQL only: MariaDB's DDL is not
 * transactional, so a migration stopped half-way there cannot be shown to change nothing.)
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("kinds")
class InitSchemaLockTest extends DatabaseTest {
    static Stream<TestDatabase.Kind> kinds() {
        return TestDatabase.kinds().filter(k -> k == TestDatabase.Kind.POSTGRESQL);
    }

    @Test
    void anUpgradeThatCannotGetItsLockGivesUpInsteadOfQueueing() throws Exception {
        initSchema();
        // a version 1 database: the upgrades to versions 2 to 6 are pending
        db.update("DROP TABLE load_journal");
        db.update("DROP INDEX ix_clv_prediction_clv");
        db.update("DROP TABLE load_claim");
        db.update("DROP TABLE customer_purchase_summary");
        db.update("DROP TABLE monthly_revenue");
        db.update("DELETE FROM flyway_schema_history WHERE version IN ('2', '3', '4', '5', '6')");

        Cli.Run blocked;
        long millis;
        try (Connection other = db.connect(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            // another session's long transaction holds a lock that recording the migration needs
            s.execute("LOCK TABLE flyway_schema_history IN SHARE MODE");
            long start = System.nanoTime();
            blocked = cli.run("init-schema", "--url", db.url());
            millis = (System.nanoTime() - start) / 1_000_000;
            other.rollback();
        }
        assertEquals(3, blocked.exitCode(), blocked::toString);
        String sentence = blocked.err().strip();
        assertFalse(sentence.contains("\n"), sentence);
        assertTrue(sentence.contains("another session holds a lock that this change needs"), sentence);
        assertTrue(millis < 60_000, "it gave up after " + millis + " ms");
        assertEquals(List.of(List.of(1L)), db.query("SELECT COUNT(*) FROM flyway_schema_history WHERE success"),
                "nothing was recorded");
        assertEquals(0, db.count("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'load_journal'"),
                "nothing was created");

        Cli.Run again = cli.run("init-schema", "--url", db.url());
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(migratedCatalog(), db.catalog());
    }
}
