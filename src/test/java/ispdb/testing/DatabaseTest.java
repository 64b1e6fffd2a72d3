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

    @BeforeEach
    protected void createDatabase() {
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
                Cli.Run init = new Cli().run("init-schema", "--url", fresh.url());
                assertEquals(0, init.exitCode(), init::toString);
                return fresh.catalog();
            }
        });
    }

    /** Creates the schema in this test's database (init-schema, exit 0). */
    protected void initSchema() {
        initSchema(db);
    }

    /** Creates the schema in {@code database} (init-schema, exit 0). */
    protected void initSchema(TestDatabase database) {
        Cli.Run init = cli.run("init-schema", "--url", database.url());
        assertEquals(0, init.exitCode(), init::toString);
    }

    /** How ispdb's messages name this test's database ("the SQLite database /tmp/.../test-1.sqlite"). */
    protected String describe() {
        return switch (kind) {
            case SQLITE -> "the SQLite database " + db.url().substring("jdbc:sqlite:".length());
            case POSTGRESQL -> "the PostgreSQL database " + Urls.redact(db.url());
            case MARIADB -> "the MariaDB/MySQL database " + Urls.redact(db.url());
        };
    }
}
