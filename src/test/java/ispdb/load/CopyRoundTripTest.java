package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ispdb.report.ExportTest;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        StringBuilder s = new StringBuilder();
        for (String table : ExportTest.TABLES) {
            Cli.Run r = cli.run("export", "--url", d.url(), "--table", table);
            assertEquals(0, r.exitCode(), r::toString);
            s.append(r.out());
        }
        return s.toString();
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
            Path dir = Files.createDirectories(tmp.resolve("fixtures"));
            Files.writeString(dir.resolve("payment-methods.csv"), ExportTest.PAYMENT_METHODS, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("customers.csv"), ExportTest.CUSTOMERS, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("transactions.csv"), ExportTest.TRANSACTIONS, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("predictions.csv"), ExportTest.PREDICTIONS, StandardCharsets.UTF_8);
            Cli.Run load = cli.run("load-csv", "--url", first.url(), "--dir", dir.toString(), "-q");
            assertEquals(0, load.exitCode(), load::toString);
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
