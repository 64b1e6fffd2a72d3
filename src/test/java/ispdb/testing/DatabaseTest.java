package ispdb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ispdb.db.Urls;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * What the database-parameterized test classes share: the kind of database of this run of the class
 * ({@code @ParameterizedClass(name = "{0}") @MethodSource("ispdb.testing.TestDatabase#kinds")} on the subclass), a fresh
 * empty database for each test, dropped after it (unless the class shares one between its tests, see
 * {@link #databasePerTest()}), and the command line. The tag {@value #TAG} (inherited) marks
 * the classes that run on the servers: .ci/run runs them once more with the servers unreachable and expects every
 * test skipped.
 */
@Tag(DatabaseTest.TAG)
public abstract class DatabaseTest {
    /** The tag of the tests that use the PostgreSQL or MariaDB server. */
    public static final String TAG = "databases";

    @Parameter
    protected TestDatabase.Kind kind;

    @TempDir
    protected Path tmp;

    protected TestDatabase db;
    protected final Cli cli = new Cli();

    /**
     * Whether each test gets a database of its own (the default). A class whose tests share one returns false and
     * makes and drops {@link #db} itself.
     */
    protected boolean databasePerTest() {
        return true;
    }

    /**
     * Why this class's tests do not apply to a Spider head (what they are about that a head does not have, such as
     * one server's own schema machinery), or null (the default) where they do: then they are skipped there with
     * that reason, before a database is made.
     */
    protected String notOnSpider() {
        return null;
    }

    @BeforeEach
    protected void createDatabase() {
        String reason = notOnSpider();
        if (reason != null && kind == TestDatabase.Kind.SPIDER) {
            // the server's reason first, as for the other kinds' tests that skip part-way
            TestDatabase.requireServer(kind);
            notOnSpider(reason);
        }
        if (databasePerTest()) {
            db = TestDatabase.create(kind, tmp);
        }
    }

    /** Drops the test's database; there is none when the set-up was skipped (its server is not reachable). */
    @AfterEach
    protected void dropDatabase() {
        if (databasePerTest() && db != null) {
            db.close();
            db = null;
        }
    }

    private static final java.util.Map<TestDatabase.Kind, String> MIGRATED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The catalog ({@link TestDatabase#catalog()}) of a fresh database of this kind after init-schema. */
    protected String migratedCatalog() {
        return MIGRATED.computeIfAbsent(kind, k -> {
            try (TestDatabase fresh = TestDatabase.create(k, tmp)) {
                Cli.Run init = new Cli().run(initSchemaArguments(fresh));
                assertEquals(0, init.exitCode(), init::toString);
                return fresh.catalog();
            }
        });
    }

    /** Creates the schema in this test's database (init-schema, exit 0). */
    protected void initSchema() {
        initSchema(db);
    }

    /** Creates the schema in {@code database} (init-schema, exit 0; on a Spider head the sharded one). */
    protected void initSchema(TestDatabase database) {
        Cli.Run init = cli.run(initSchemaArguments(database));
        assertEquals(0, init.exitCode(), init::toString);
        if (database.kind() == TestDatabase.Kind.SPIDER) {
            org.junit.jupiter.api.Assertions.assertTrue(init.out().contains("sharded over "), init::toString);
        }
    }

    /**
     * The command line that makes the schema in {@code database}, followed by {@code more} arguments: {@code
     * init-schema --url URL}, on a Spider head with {@code --shards} naming its backends (the sharded schema).
     */
    public static String[] initSchemaArguments(TestDatabase database, String... more) {
        return TestDatabase.initSchemaArguments(database.url(), more);
    }

    /** Why an upgrade of a schema an earlier ispdb made is not tried on a Spider head ({@link #notOnSpider(String)}). */
    protected static final String UPGRADES = "an upgrade of a schema made by an earlier ispdb in local tables with rows;"
            + " --shards makes a new sharded schema and refuses those (docs/sharding.md: schema upgrades)";

    /**
     * Skips this test on a Spider head, saying why it does not apply there ({@code reason}: what the test is about
     * that a head does not have, such as one server's own schema machinery).
     */
    protected void notOnSpider(String reason) {
        org.junit.jupiter.api.Assumptions.assumeFalse(kind == TestDatabase.Kind.SPIDER,
                () -> "not on a Spider head: " + reason);
    }

    /**
     * The line init-schema adds on a Spider head ("sharded over 3 backends: HOST:PORT, ...\n"), empty for the other
     * kinds.
     */
    protected String shardedLine() {
        return db.shards() == null ? "" : "sharded over " + db.shards().split(",").length + " backends: "
                + db.shards().replace(",", ", ") + "\n";
    }

    /** How ispdb's messages name this test's database ("the SQLite database /tmp/.../test-1.sqlite"). */
    protected String describe() {
        return switch (kind) {
            case SQLITE -> "the SQLite database " + db.url().substring("jdbc:sqlite:".length());
            case POSTGRESQL -> "the PostgreSQL database " + Urls.redact(db.url());
            case MARIADB, SPIDER -> "the MariaDB/MySQL database " + Urls.redact(db.url());
        };
    }
}
