package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Passwords never shown: redact() on URLs, scrub() on drivers' messages and stack traces. */
class UrlsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://127.0.0.1:5432/isp?user=ispdb&password=s3cret    | jdbc:postgresql://127.0.0.1:5432/isp?user=ispdb&password=***
            jdbc:postgresql://127.0.0.1/isp?password=s3cret&user=ispdb         | jdbc:postgresql://127.0.0.1/isp?password=***&user=ispdb
            jdbc:mariadb://127.0.0.1/isp?user=root&PASSWORD=a%26b              | jdbc:mariadb://127.0.0.1/isp?user=root&PASSWORD=***
            jdbc:mysql://db/isp?sslMode=trust&trustStorePassword=t&password=p  | jdbc:mysql://db/isp?sslMode=trust&trustStorePassword=***&password=***
            jdbc:sqlserver://h;user=u;password=p;databaseName=x                | jdbc:sqlserver://h;user=u;password=***;databaseName=x
            jdbc:mysql://root:s3cret@127.0.0.1:3306/isp                        | jdbc:mysql://root:***@127.0.0.1:3306/isp
            jdbc:postgresql://127.0.0.1:5432/isp?user=ispdb                    | jdbc:postgresql://127.0.0.1:5432/isp?user=ispdb
            jdbc:sqlite:/data/password=x.sqlite                                | jdbc:sqlite:/data/password=x.sqlite
            jdbc:sqlite:ispdb.sqlite                                           | jdbc:sqlite:ispdb.sqlite
            """)
    void redactReplacesThePasswordsOfAUrl(String url, String shown) {
        assertEquals(shown, Urls.redact(url));
    }

    @Test
    void aPasswordWithAnUnencodedAtSignIsHiddenWhole() {
        assertEquals("jdbc:postgresql://ispdb:***@db1:5432/isp",
                Urls.redact("jdbc:postgresql://ispdb:p@ss@db1:5432/isp"));
        assertEquals("jdbc:mariadb://root:***@h1,h2/isp?user=x",
                Urls.redact("jdbc:mariadb://root:a@b@c@h1,h2/isp?user=x"));
        assertEquals(List.of("p@ss"), Urls.secrets("jdbc:postgresql://ispdb:p@ss@db1/isp"));
    }

    @Test
    void redactOfNothingIsNothing() {
        assertNull(Urls.redact(null));
    }

    @Test
    void secretsAreThePasswordsWrittenIntoTheUrl() {
        assertEquals(List.of("a", "b"), Urls.secrets("jdbc:mysql://u:b@h/x?password=a"));
        assertEquals(List.of(), Urls.secrets("jdbc:postgresql://h/x?user=u"));
        assertEquals(List.of(), Urls.secrets(null));
    }

    @Test
    void scrubReplacesTheGivenPasswordWhereverItIs() {
        assertEquals("FATAL: password authentication failed for user \"ispdb\" (tried ***)",
                Urls.scrub("FATAL: password authentication failed for user \"ispdb\" (tried Pw-1)", "Pw-1"));
        assertEquals("*** and ***", Urls.scrub("Pw-1 and Pw-1", "Pw-1"));
        // an empty or absent password changes nothing
        assertEquals("nothing secret", Urls.scrub("nothing secret", ""));
        assertEquals("nothing secret", Urls.scrub("nothing secret", null));
        assertEquals("", Urls.scrub(null, "Pw-1"));
    }

    @Test
    void scrubFindsPiecesOfTheUrlsPasswordsThatRedactCannotRecognise() {
        String url = "jdbc:mysql://root:Pw-2@127.0.0.1:1/x";
        // MariaDB's driver quotes the part of the URL it could not read as a port
        String message = "Incorrect port value : Pw-2@127.0.0.1";
        assertEquals("Incorrect port value : ***@127.0.0.1", Urls.scrub(message, null, url));
        String trace = "java.sql.SQLException: bad url " + url + "\n\tat Driver.connect(Driver.java:1) Pw-2";
        String scrubbed = Urls.scrub(trace, null, url);
        assertFalse(scrubbed.contains("Pw-2"), scrubbed);
        assertEquals("java.sql.SQLException: bad url jdbc:mysql://root:***@127.0.0.1:1/x\n"
                + "\tat Driver.connect(Driver.java:1) ***", scrubbed);
    }

    @Test
    void scrubReplacesTheLongerOfTwoOverlappingPasswordsWhole() {
        // "Pw" is also the start of "Pw-long": replacing "Pw" first would leave "***-long" showing part of it
        assertEquals("*** ***", Urls.scrub("Pw-long Pw", "Pw", "jdbc:postgresql://h/x?password=Pw-long"));
    }
}
