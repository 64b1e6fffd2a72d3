package ispdb;

import ispdb.db.Urls;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * What the database-parameterized test classes share: the kind of database of this run of the class
 * ({@code @ParameterizedClass @EnumSource(TestDatabase.Kind.class)} on the subclass), a fresh empty database
 * for each test, dropped after it, and the command line.
 */
abstract class DatabaseTest {
    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;
    final Cli cli = new Cli();

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(kind, tmp);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    /** How ispdb's messages name this test's database ("the SQLite database /tmp/.../test-1.sqlite"). */
    String describe() {
        return switch (kind) {
            case SQLITE -> "the SQLite database " + db.url().substring("jdbc:sqlite:".length());
            case POSTGRESQL -> "the PostgreSQL database " + Urls.redact(db.url());
            case MARIADB -> "the MariaDB/MySQL database " + Urls.redact(db.url());
        };
    }
}
