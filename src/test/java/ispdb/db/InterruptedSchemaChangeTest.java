package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.db.InterruptedMigration;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A schema change stopped after any of its DDL statements (init-schema's, or copy's into a new database) is finished
 * by running init-schema (or the copy) again: the catalog is then a fresh init-schema's. On MariaDB, whose DDL commits
 * statement by statement, both traces an interruption leaves are tried: the failed migration's history entry (an
 * error, a lost connection) and none (a kill, which leaves no entry).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class InterruptedSchemaChangeTest extends DatabaseTest {
    @Override
    protected String notOnSpider() {
        return "the migrations' failure injection after each DDL statement is one server's schema machinery (a head's"
                + " init-schema --shards runs the same migrations on each backend and the head, rerun to finish)";
    }

    @Override
    protected boolean databasePerTest() {
        return false;
    }

    /** The interruptions to try: after each statement, and on MariaDB with and without the failed entry. */
    private List<String> interruptions() {
        List<String> cases = new ArrayList<>();
        int statements = InterruptedMigration.statements(switch (kind) {
            case SQLITE -> "jdbc:sqlite:any";
            case POSTGRESQL -> "jdbc:postgresql://127.0.0.1/any";
            case MARIADB, SPIDER -> "jdbc:mariadb://127.0.0.1/any";
        });
        for (int done = 0; done <= statements; done++) {
            cases.add(done + " failed-entry");
            if (kind == TestDatabase.Kind.MARIADB) {
                cases.add(done + " killed");
            }
        }
        return cases;
    }

    /** A new database whose schema change stopped as {@code interruption} says. */
    private TestDatabase interrupted(String interruption) {
        TestDatabase target = TestDatabase.create(kind, tmp);
        InterruptedMigration.stopAfter(target.url(), Integer.parseInt(interruption.split(" ")[0]));
        if (interruption.endsWith("killed")) {
            target.update("DELETE FROM flyway_schema_history WHERE NOT success");
        }
        return target;
    }

    private void assertFinished(TestDatabase target, String interruption) {
        assertEquals(migratedCatalog(), target.catalog(), interruption);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, ispdb.db.Schema.VERSION)
                .mapToObj(v -> List.of(Integer.toString(v))).toList(), target.query(
                "SELECT version FROM flyway_schema_history WHERE version <> '0' ORDER BY installed_rank"),
                interruption);
        assertEquals(0, target.count("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success"), interruption);
    }

    @Test
    void initSchemaRunAgainFinishesAChangeStoppedAfterAnyStatement() {
        for (String interruption : interruptions()) {
            try (TestDatabase target = interrupted(interruption)) {
                Cli.Run list = cli.run("list-customers", "--url", target.url());
                if (list.exitCode() != 0) { // the change had not got far enough to be seen as ispdb's schema
                    assertEquals(3, list.exitCode(), () -> interruption + ": " + list);
                    assertTrue(list.err().contains("'ispdb init-schema'"), () -> interruption + ": " + list);
                    Cli.assertNoStackTrace(list);
                }
                Cli.Run init = cli.run("init-schema", "--url", target.url());
                assertEquals(0, init.exitCode(), () -> interruption + ": " + init);
                assertFinished(target, interruption);
                Cli.Run again = cli.run("init-schema", "--url", target.url());
                assertTrue(again.out().contains("nothing to do"), () -> interruption + ": " + again);
                Cli.Run check = cli.run("check", "--url", target.url());
                assertEquals(0, check.exitCode(), () -> interruption + ": " + check);
            }
        }
    }

    @Test
    void copyRunAgainFinishesAChangeStoppedAfterAnyStatement() {
        Path sourceFile = tmp.resolve("source.sqlite");
        String source = "jdbc:sqlite:" + sourceFile;
        assertEquals(0, cli.run("init-schema", "--url", source).exitCode());
        Cli.Run load = cli.run("load-csv", "--url", source, "--dir", Path.of("sample-data").toAbsolutePath()
                .toString(), "-q");
        assertEquals(0, load.exitCode(), load::toString);
        for (String interruption : interruptions()) {
            try (TestDatabase target = interrupted(interruption)) {
                Cli.Run copy = cli.run("copy", "--from", source, "--to", target.url(), "-q");
                assertEquals(0, copy.exitCode(), () -> interruption + ": " + copy);
                assertFinished(target, interruption);
                assertEquals(300, target.count("SELECT COUNT(*) FROM dim_customer"), interruption);
                assertEquals(3000, target.count("SELECT COUNT(*) FROM fact_transaction"), interruption);
            }
        }
    }

    /** --adopt on a schema an interrupted init-schema left (its own tables, empty) finishes it as init-schema does. */
    @Test
    void adoptOnAnUnfinishedSchemaFinishesIt() {
        try (TestDatabase target = interrupted("2 " + (kind == TestDatabase.Kind.MARIADB ? "killed" : "failed-entry"))) {
            Cli.Run adopt = cli.run("init-schema", "--adopt", "--url", target.url());
            assertEquals(0, adopt.exitCode(), adopt::toString);
            assertFinished(target, "--adopt");
        }
    }

    /**
     * MariaDB's migrations became safe to repeat (IF NOT EXISTS), which changed their checksums: a database made by
     * the earlier texts (main before this change, kept in src/test/resources/db/earlier) is the same schema, is
     * upgraded from any version and passes check; a checksum that is no earlier text of ispdb's still stops an upgrade.
     */
    @Test
    void aDatabaseMadeByTheEarlierMigrationTextsIsTheSameSchema() {
        migratedCatalog(); // skips first where the server is not reachable, as every test of a server must
        Assumptions.assumeTrue(kind == TestDatabase.Kind.MARIADB, "only MariaDB's migration texts changed");
        for (String target : List.of("1", "2", "3")) {
            try (TestDatabase earlier = TestDatabase.create(kind, tmp)) {
                Flyway.configure().dataSource(earlier.url(), null, null).locations("classpath:db/earlier/mysql")
                        .target(target).load().migrate();
                Cli.Run init = cli.run("init-schema", "--url", earlier.url());
                assertEquals(0, init.exitCode(), init::toString);
                assertTrue(init.out().contains("to " + ispdb.db.Schema.VERSION), init::toString);
                assertFinished(earlier, "earlier texts up to version " + target);
                Cli.Run check = cli.run("check", "--url", earlier.url());
                assertEquals(0, check.exitCode(), check::toString);
            }
        }
        try (TestDatabase changed = TestDatabase.create(kind, tmp)) {
            Flyway.configure().dataSource(changed.url(), null, null).locations("classpath:db/earlier/mysql")
                    .target("2").load().migrate();
            changed.update("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '1'");
            Cli.Run init = cli.run("init-schema", "--url", changed.url());
            assertEquals(3, init.exitCode(), init::toString);
            assertTrue(init.err().contains("Validate failed"), init::toString);
        }
    }
}
