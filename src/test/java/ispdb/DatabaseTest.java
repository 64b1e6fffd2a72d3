package ispdb;

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
}
