package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ispdb.testing.RoundTripData;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * copy around all three databases, SQLite -> PostgreSQL -> MariaDB -> SQLite: every database's exports are the
 * first one's, byte for byte. Skipped (with a message) where a server is not reachable.
 */
@Tag(DatabaseTest.TAG)
class CopyRoundTripTest {
    @TempDir
    Path tmp;

    private final Cli cli = new Cli();

    private String exports(TestDatabase d) {
        return RoundTripData.exports(cli, d);
    }

    private void copy(TestDatabase from, TestDatabase to) {
        Cli.Run r = cli.run("copy", "--from", from.url(), "--to", to.url());
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void sqliteToPostgresqlToMariadbToSqliteGivesIdenticalExports() throws IOException {
        try (TestDatabase first = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
                TestDatabase pg = TestDatabase.create(TestDatabase.Kind.POSTGRESQL, tmp);
                TestDatabase maria = TestDatabase.create(TestDatabase.Kind.MARIADB, tmp);
                TestDatabase last = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp)) {
            assertEquals(0, cli.run("init-schema", "--url", first.url()).exitCode());
            RoundTripData.load(cli, first, tmp);
            String expected = exports(first);
            copy(first, pg);
            assertEquals(expected, exports(pg), "PostgreSQL");
            copy(pg, maria);
            assertEquals(expected, exports(maria), "MariaDB");
            copy(maria, last);
            assertEquals(expected, exports(last), "SQLite again");
        }
    }
}
