package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one URL parser: the forms the drivers take, their secrets masked, the file SQLite opens, what is refused. */
class JdbcUrlTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:mariadb://address=(host=127.0.0.1)(port=3306)(password=S)/db                            | jdbc:mariadb://address=(host=127.0.0.1)(port=3306)(password=***)/db
            jdbc:mariadb://address=(host=h1)(password=S)(type=primary),address=(host=h2)(port=1)/db?a=b  | jdbc:mariadb://address=(host=h1)(password=***)(type=primary),address=(host=h2)(port=1)/db?a=b
            jdbc:mariadb:sequential://h1:3306,h2:3307/isp?user=u&password=S&connectTimeout=5             | jdbc:mariadb:sequential://h1:3306,h2:3307/isp?user=u&password=***&connectTimeout=5
            jdbc:mariadb:loadbalance://h1,h2/isp?password=S                                               | jdbc:mariadb:loadbalance://h1,h2/isp?password=***
            jdbc:mysql:replication://h1,h2/isp?trustStorePassword=T&keyStorePassword=K&password=S         | jdbc:mysql:replication://h1,h2/isp?trustStorePassword=***&keyStorePassword=***&password=***
            jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/isp?user=u&password=a%26b&sslpassword=k      | jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/isp?user=u&password=***&sslpassword=***
            jdbc:postgresql:isp?password=S                                                                | jdbc:postgresql:isp?password=***
            jdbc:postgresql://u:p@ss@db1:5432/isp                                                         | jdbc:postgresql://u:***@db1:5432/isp
            jdbc:mariadb://root:a@b@c@h1,h2/isp?user=x                                                    | jdbc:mariadb://root:***@h1,h2/isp?user=x
            jdbc:sqlite:/data/isp.sqlite?password=S&journal_mode=wal                                      | jdbc:sqlite:/data/isp.sqlite?password=***&journal_mode=wal
            jdbc:sqlite:/data/password=x.sqlite                                                           | jdbc:sqlite:/data/password=x.sqlite
            jdbc:sqlserver://h;user=u;password=p;databaseName=x                                           | jdbc:sqlserver://h;user=u;password=***;databaseName=x
            """)
    void maskedHidesTheValueOfEachSecretOnly(String url, String masked) {
        assertEquals(masked, JdbcUrl.parse(url).masked());
        assertEquals(masked, Urls.redact(url));
    }

    @Test
    void secretsAreAsWrittenAndAsTheDriverUsesThem() {
        assertEquals(Set.of("a%26b", "a&b", "k"), Set.copyOf(JdbcUrl.parse(
                "jdbc:postgresql://h/isp?password=a%26b&sslpassword=k").secrets()));
        // MariaDB decodes nothing
        assertEquals(List.of("a%26b"), JdbcUrl.parse("jdbc:mariadb://h/isp?password=a%26b").secrets());
        assertEquals(List.of("S3"), JdbcUrl.parse("jdbc:mariadb://address=(host=h)(password=S3)/db").secrets());
    }

    @Test
    void freeTextKeepsWhatFollowsASecret() {
        assertEquals("bad url jdbc:mariadb://address=(host=h)(password=***)(port=1)/db?a=1&user=u",
                Urls.redact("bad url jdbc:mariadb://address=(host=h)(password=S)(port=1)/db?a=1&user=u"));
        assertEquals("x //root:***@h/db \"password\": \"***\"",
                Urls.redact("x //root:p@w@h/db \"password\": \"S\""));
        assertEquals("FATAL: password authentication failed for user \"u\"",
                Urls.redact("FATAL: password authentication failed for user \"u\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite:", "jdbc:sqlite::memory:", "jdbc:sqlite:?journal_mode=wal",
        "jdbc:sqlite:file:x.db?mode=memory", "jdbc:sqlite:file::memory:", "jdbc:sqlite:file:x?vfs=memdb",
        "jdbc:sqlite::resource:isp.sqlite", "jdbc:sqlite:file://otherhost/x.db", "JDBC:SQLITE:",
        "jdbc:postgresql://u:S@127.0.0.1/isp", "jdbc:postgresql://127.0.0.1/isp/x", "jdbc:postgresql://127.0.0.1",
        "jdbc:postgresql://127.0.0.1:port/isp", "jdbc:postgresql:/isp",
        "jdbc:mariadb://root:S@127.0.0.1:3306/isp", "jdbc:mariadb://address=(host=h)(user=root)/isp",
        "jdbc:mariadb://address=(host=h)(password=S)/isp", "jdbc:mariadb:mirror://h/isp", "jdbc:mariadb:h/isp",
        "jdbc:mariadb://h:0/isp", "jdbc:oracle:thin:@h:1521/x"})
    void urlsIspdbRefusesSayWhy(String url) {
        JdbcUrl parsed = JdbcUrl.parse(url);
        assertNotNull(parsed.problem(), url);
        assertTrue(!parsed.problem().contains("S@") && !parsed.problem().contains("=S"), parsed.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/isp?user=u&password=p",
        "jdbc:postgresql:isp", "jdbc:postgresql://[::1]:5432/isp", "jdbc:postgresql:///isp", "jdbc:postgresql://",
        "jdbc:mariadb:sequential://h1:3306,h2/isp", "jdbc:mariadb:failover://h1,h2/isp",
        "jdbc:mariadb:load-balance-read://h1,h2/isp", "jdbc:mariadb://address=(host=h)(port=3307)(type=primary)/isp",
        "jdbc:mysql://[::1]:3306/isp?password=x", "jdbc:sqlite:isp.sqlite", "jdbc:sqlite:file:isp.sqlite?cache=shared"})
    void formsTheDriversTakeAreTaken(String url) {
        assertNull(JdbcUrl.parse(url).problem(), url);
    }

    /** The file ispdb names is the file sqlite-jdbc opens (asked with PRAGMA database_list), whatever the path. */
    @ParameterizedTest
    @ValueSource(strings = {"my db#1?.sqlite", "plain.sqlite", "wal.sqlite?journal_mode=wal",
        "odd.sqlite?x&y&journal_mode=wal", "trailing.sqlite?", "file:uri%20name.sqlite#part",
        "file:uri.sqlite?cache=shared&journal_mode=wal", "pragma.sqlite?password=S&foreign_keys=on"})
    void theSqliteFileIsTheOneTheDriverOpens(String path) throws Exception {
        String url = path.startsWith("file:") ? "jdbc:sqlite:file:" + tmp + "/" + path.substring(5)
                : "jdbc:sqlite:" + tmp + "/" + path;
        JdbcUrl parsed = JdbcUrl.parse(url);
        assertNull(parsed.problem(), url);
        Properties p = new Properties();
        Dialect.SQLITE.connectionProperties(1000, true).forEach(p::setProperty);
        try (Connection c = DriverManager.getConnection(url, p);
                ResultSet rs = c.createStatement().executeQuery("PRAGMA database_list")) {
            rs.next();
            assertEquals(rs.getString("file"), parsed.sqliteFile().toString(), url);
        }
        assertTrue(Files.exists(parsed.sqliteFile()));
    }

    @Test
    void aRelativeSqliteFileIsResolvedAgainstAFolder() {
        Path folder = tmp.resolve("etc");
        assertEquals("jdbc:sqlite:" + folder + "/isp.sqlite?journal_mode=wal",
                JdbcUrl.parse("jdbc:sqlite:isp.sqlite?journal_mode=wal").resolvedAgainst(folder));
        assertEquals("jdbc:sqlite:/abs/isp.sqlite", JdbcUrl.parse("jdbc:sqlite:/abs/isp.sqlite").resolvedAgainst(folder));
        assertEquals(folder.resolve("isp.sqlite"),
                JdbcUrl.parse(JdbcUrl.parse("jdbc:sqlite:file:isp.sqlite").resolvedAgainst(folder)).sqliteFile());
        String server = "jdbc:postgresql://h/isp";
        assertEquals(server, JdbcUrl.parse(server).resolvedAgainst(folder));
    }
}
