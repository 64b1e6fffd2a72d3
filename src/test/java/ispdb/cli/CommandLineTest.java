package ispdb.cli;

import static ispdb.testing.Cli.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line itself: help, version, parse errors, where the database is found, connection failures and
 * passwords. SQLite in a temporary folder; the servers only where a test says so.
 */
class CommandLineTest {
    static final String PASSWORD = "s3cretPW";
    static final long CONNECT_BOUND_MILLIS = 10_000;

    @TempDir
    Path tmp;

    final Cli cli = new Cli();

    private String sqliteUrl(String name) {
        return "jdbc:sqlite:" + tmp.resolve(name);
    }

    private String initialized(String name) {
        String url = sqliteUrl(name);
        Cli.Run init = cli.run("init-schema", "--url", url);
        assertEquals(0, init.exitCode(), init::toString);
        return url;
    }

    private static void assertOneLine(Cli.Run r) {
        assertTrue(r.err().endsWith("\n") && r.err().indexOf('\n') == r.err().length() - 1,
                () -> "not one line: " + r);
        assertTrue(r.err().startsWith("ispdb: "), r::toString);
    }

    private static void assertNoPassword(Cli.Run r) {
        assertFalse(r.out().contains(PASSWORD) || r.err().contains(PASSWORD), () -> "shows the password: " + r);
    }

    // --- help and version

    @ParameterizedTest(name = "ispdb {0} --help")
    @ValueSource(strings = {"", "init-schema", "load-csv", "list-customers", "record-prediction", "schema-status",
        "refresh-customer-stats", "rfm-summary", "predict", "survival", "report", "check", "help"})
    void helpListsTheExitCodes(String command) {
        List<String> args = new ArrayList<>();
        if (!command.isEmpty()) {
            args.add(command);
        }
        args.add("--help");
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().contains("Usage: ispdb" + (command.isEmpty() ? " " : " " + command + " ")), r::toString);
        // the column is as wide as the widest code
        String codes = r.out().substring(r.out().indexOf("\nExit codes:\n")).replaceAll("\n  (\\d+) +", "\n  $1 ");
        assertTrue(codes.contains("\n  0 success\n"), r::toString);
        assertTrue(codes.contains("\n  1 data rejected, nothing written; check: findings\n"), r::toString);
        assertTrue(codes.contains("\n  2 usage error\n"), r::toString);
        assertTrue(codes.contains("\n  3 cannot connect, the schema is missing (run init-schema), or the"), r::toString);
        assertTrue(codes.contains("\n  4 loaded, but some rows (--on-error skip) or files (ingest) failed\n"), r::toString);
        assertTrue(codes.contains("\n  70 internal error (a bug: please report it with --verbose)\n"), r::toString);
        assertTrue(codes.contains("\n  127 the launcher cannot find Java 17+ (or, to build, Maven)\n"), r::toString);
        assertTrue(codes.contains("\n  130 interrupted (Ctrl-C) before the work committed\n"), r::toString);
        assertTrue(codes.contains("\n  141 standard output was closed by its reader (| head)\n"), r::toString);
        assertTrue(codes.contains("\n  143 ended by SIGTERM before the work committed\n"), r::toString);
    }

    @Test
    void helpCommandAndShortOption() {
        Cli.Run full = cli.run("list-customers", "--help");
        Cli.Run viaHelp = cli.run("help", "list-customers");
        assertEquals(0, viaHelp.exitCode(), viaHelp::toString);
        assertEquals(full.out(), viaHelp.out());
        Cli.Run shortOption = cli.run("-h");
        assertEquals(0, shortOption.exitCode(), shortOption::toString);
        assertEquals(cli.run("--help").out(), shortOption.out());
    }

    @Test
    void versionPrintsIspdbAndTheVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/ispdb/version.properties")) {
            p.load(in);
        }
        String version = p.getProperty("version");
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"list-customers", "--version"}}) {
            Cli.Run r = cli.run(args);
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("ispdb " + version + "\n", r.out());
            assertEquals("", r.err());
        }
    }

    // --- parse errors

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Run r = cli.run("list-customers", "--bogus");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: Unknown option: '--bogus'\nTry 'ispdb list-customers --help' for more information.\n",
                r.err());
        Cli.Run root = cli.run("--bogus");
        assertEquals(2, root.exitCode(), root::toString);
        assertEquals("ispdb: Unknown option: '--bogus'\nTry 'ispdb --help' for more information.\n", root.err());
        assertNoStackTrace(r);
        assertNoStackTrace(root);
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Run r = cli.run("frobnicate", "--url", sqliteUrl("x.sqlite"));
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: Unmatched arguments from index 0: 'frobnicate', '--url', '" + sqliteUrl("x.sqlite") + "'\n"
                + "Try 'ispdb --help' for more information.\n", r.err());
        Cli.Run alone = cli.run("frobnicate");
        assertEquals(2, alone.exitCode(), alone::toString);
        assertEquals("ispdb: Unmatched argument at index 0: 'frobnicate'\nTry 'ispdb --help' for more information.\n",
                alone.err());
        assertNoStackTrace(r);
        assertFalse(Files.exists(tmp.resolve("x.sqlite")));
        // a near miss names the command meant
        Cli.Run load = cli.run("load", "customers.csv");
        assertEquals(2, load.exitCode(), load::toString);
        assertEquals("ispdb: Unmatched arguments from index 0: 'load', 'customers.csv'\nDid you mean: ispdb load-csv?\n"
                + "Try 'ispdb --help' for more information.\n", load.err());
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Run r = cli.run();
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: a command is required\nTry 'ispdb --help' for more information.\n", r.err());
    }

    @Test
    void missingOptionValueIsAUsageError() {
        Cli.Run r = cli.run("list-customers", "--limit");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("ispdb: Missing required parameter for option '--limit' (N)\n"
                + "Try 'ispdb list-customers --help' for more information.\n", r.err());
        Cli.Run n = cli.run("list-customers", "--limit", "ten");
        assertEquals(2, n.exitCode(), n::toString);
        assertEquals("ispdb: --limit: 'ten' is not a whole number\n"
                + "Try 'ispdb list-customers --help' for more information.\n", n.err());
        Cli.Run big = cli.run("list-customers", "--limit", "99999999999");
        assertEquals(2, big.exitCode(), big::toString);
        assertEquals("ispdb: --limit: 99999999999 is too large (at most 2147483647)\n"
                + "Try 'ispdb list-customers --help' for more information.\n", big.err());
    }

    // --- where the database is

    @Test
    void urlFallsBackToIspdbUrl() {
        Path file = tmp.resolve("from-env.sqlite");
        Cli env = new Cli().env("ISPDB_URL", "jdbc:sqlite:" + file);
        Cli.Run init = env.run("init-schema");
        assertEquals(0, init.exitCode(), init::toString);
        assertEquals("created the ispdb schema (version 6) in the SQLite database " + file + "\n", init.out());
        assertTrue(Files.exists(file));
        Cli.Run status = env.run("schema-status");
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().startsWith("database:        the SQLite database " + file + "\n"), status::toString);

        // --url wins over $ISPDB_URL
        Path other = tmp.resolve("from-option.sqlite");
        Cli.Run option = env.run("init-schema", "--url", "jdbc:sqlite:" + other);
        assertEquals(0, option.exitCode(), option::toString);
        assertEquals("created the ispdb schema (version 6) in the SQLite database " + other + "\n", option.out());
    }

    @Test
    void urlDefaultsToIspdbSqliteInTheCurrentFolder() throws IOException {
        // ispdb runs as a child process in a folder of the test's own: the test run's working folder plays no part
        Path folder = Files.createDirectories(tmp.resolve("working-folder"));
        Path here = folder.resolve("ispdb.sqlite");
        Cli.Run missing = SafetySupport.run(folder, "list-customers");
        assertEquals(3, missing.exitCode(), missing::toString);
        assertEquals("ispdb: there is no database at ispdb.sqlite: create it with 'ispdb init-schema' (or check --url)\n",
                missing.err());
        assertFalse(Files.exists(here), "list-customers never creates a database");

        Cli.Run init = SafetySupport.run(folder, "init-schema");
        assertEquals(0, init.exitCode(), init::toString);
        assertTrue(Files.isRegularFile(here), init::toString);
        Cli.Run list = SafetySupport.run(folder, "list-customers");
        assertEquals(0, list.exitCode(), list::toString);
        assertEquals("", list.err(), list::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:oracle:thin:@127.0.0.1:1521/x", "jdbc:h2:mem:x", "postgresql://127.0.0.1/x",
        "sqlite:x.sqlite", "x.sqlite"})
    void urlOfAnotherKindIsAUsageError(String url) {
        Cli.Run r = cli.run("list-customers", "--url", url);
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: --url " + url + " is not a database ispdb knows: use jdbc:sqlite:FILE, "
                + "jdbc:postgresql://HOST/DB or jdbc:mariadb://HOST/DB\n", r.err());
        Cli.Run env = new Cli().env("ISPDB_URL", url).run("schema-status");
        assertEquals(2, env.exitCode(), env::toString);
    }

    @Test
    void urlOfAnotherKindDoesNotShowItsPassword() {
        Cli.Run r = cli.run("list-customers", "--url", "jdbc:oracle:thin:@127.0.0.1:1521/x?user=scott&password="
                + PASSWORD);
        assertEquals(2, r.exitCode(), r::toString);
        assertNoPassword(r);
    }

    @Test
    void missingSqliteFileIsNotCreated() {
        Path file = tmp.resolve("missing.sqlite");
        String url = "jdbc:sqlite:" + file;
        String expected = "ispdb: there is no database at " + file + ": create it with 'ispdb init-schema' "
                + "(or check --url)\n";
        for (String[] args : new String[][] {{"list-customers"}, {"schema-status"},
            {"record-prediction", "--customer", "1", "--clv", "2"}, {"refresh-customer-stats"}, {"rfm-summary"},
            {"predict"}, {"survival"}, {"report", "--output", tmp.resolve("r.html").toString()},
            {"load-csv", "--table", "customers", Fixtures.write(tmp, "c.csv", Fixtures.CUSTOMERS).toString()}}) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--url", url));
            Cli.Run r = cli.run(all.toArray(String[]::new));
            assertEquals(3, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertEquals(expected, r.err());
            assertFalse(Files.exists(file), () -> args[0] + " created " + file);
        }
        Cli.Run folder = cli.run("list-customers", "--url", "jdbc:sqlite:" + tmp.resolve("no/such/folder/x.sqlite"));
        assertEquals(3, folder.exitCode(), folder::toString);
        assertOneLine(folder);
        assertFalse(Files.exists(tmp.resolve("no")));
    }

    @Test
    void fileThatIsNotSqliteExitsThree() throws IOException {
        Path junk = Fixtures.write(tmp, "junk.sqlite", "customer_id,age\n".repeat(100));
        byte[] before = Files.readAllBytes(junk);
        Cli.Run r = cli.run("list-customers", "--url", "jdbc:sqlite:" + junk);
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("ispdb: cannot connect to the SQLite database " + junk + ": the file is not an SQLite database\n",
                r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(junk)));
    }

    // --- servers that cannot be reached

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:1/x", "jdbc:mariadb://127.0.0.1:1/x",
        "jdbc:mysql://127.0.0.1:1/x"})
    void unreachableServerExitsThreeWithinTenSeconds(String url) {
        long start = System.nanoTime();
        Cli.Run r = cli.run("schema-status", "--url", url);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(millis < CONNECT_BOUND_MILLIS, () -> "took " + millis + " ms: " + r);
        assertEquals("", r.out());
        assertOneLine(r);
        String kind = url.startsWith("jdbc:postgresql:") ? "PostgreSQL" : "MariaDB/MySQL";
        assertTrue(r.err().startsWith("ispdb: cannot connect to the " + kind + " database " + url + ": "), r::toString);
        assertTrue(r.err().contains("refused"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void dryRunDoesNotConnect() {
        Cli.Run r = cli.run("init-schema", "--dry-run", "--url", "jdbc:postgresql://127.0.0.1:1/x");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("CREATE TABLE clv_prediction"), r::toString);
    }

    @Test
    void verboseAddsDetailButNotAnotherExitCode() {
        String url = "jdbc:postgresql://127.0.0.1:1/x";
        Cli.Run plain = cli.run("schema-status", "--url", url);
        Cli.Run verbose = cli.run("schema-status", "--url", url, "--verbose");
        assertEquals(3, plain.exitCode(), plain::toString);
        assertEquals(3, verbose.exitCode(), verbose::toString);
        String first = plain.err();
        assertTrue(verbose.err().startsWith(first), verbose::toString);
        assertTrue(verbose.err().length() > first.length() && verbose.err().contains("Connection refused"),
                verbose::toString);

        Path missing = tmp.resolve("missing.sqlite");
        Cli.Run noDb = cli.run("list-customers", "-v", "--url", "jdbc:sqlite:" + missing);
        assertEquals(3, noDb.exitCode(), noDb::toString);
        assertFalse(Files.exists(missing));

        Cli.Run usage = cli.run("list-customers", "--verbose", "--url", sqliteUrl("x.sqlite"), "--limit", "-5");
        assertEquals(2, usage.exitCode(), usage::toString);
        Cli.Run parse = cli.run("list-customers", "--verbose", "--bogus");
        assertEquals(2, parse.exitCode(), parse::toString);
    }

    // --- passwords

    /**
     * Each failed connection costs HikariCP's one-second retry pause: two runs a URL. A URL the driver would not
     * take (it would quote the part it could not parse, password and all) is refused before (exit code 2).
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:1/x?user=postgres&password=" + PASSWORD,
        "jdbc:mariadb://127.0.0.1:1/x?user=root&password=" + PASSWORD,
        "jdbc:postgresql://127.0.0.1:notaport/x?user=postgres&password=" + PASSWORD,
        "jdbc:mariadb://127.0.0.1:notaport/x?password=" + PASSWORD + "&user=root",
        "jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1:1/x",
        "jdbc:mysql://root:" + PASSWORD + "@127.0.0.1:1/x"})
    void failureNeverShowsThePassword(String url) throws IOException {
        Path log = tmp.resolve("run.log");
        boolean refused = url.contains("notaport") || url.contains("@");
        int expected = refused ? 2 : 3;
        // the password both in the URL and in $ISPDB_PASSWORD
        Cli.Run plain = new Cli().env("ISPDB_PASSWORD", PASSWORD).run("schema-status", "--url", url);
        assertEquals(expected, plain.exitCode(), plain::toString);
        assertOneLine(plain);
        assertNoPassword(plain);
        // only in the URL, and the driver's whole story told
        Cli.Run verbose = cli.run("schema-status", "--url", url, "--verbose", "--log-file", log.toString());
        assertEquals(expected, verbose.exitCode(), verbose::toString);
        assertTrue(verbose.err().startsWith(refused ? "ispdb: --url jdbc:" : "ispdb: cannot connect to the "),
                verbose::toString);
        assertTrue(!url.contains("@") || verbose.err().contains(":***@127.0.0.1:1/x has USER:PASSWORD@ before the "
                + "host, which the "), verbose::toString);
        assertNoPassword(verbose);
        String text = Files.readString(log);
        assertTrue(text.contains("schema-status"), text);
        assertFalse(text.contains(PASSWORD), text);
    }

    @Test
    void passwordFileMustBePrivate() throws IOException {
        String url = initialized("db.sqlite");
        Path file = Fixtures.write(tmp, "pw", PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Run open = cli.run("schema-status", "--url", url, "--password-file", file.toString());
        assertEquals(2, open.exitCode(), open::toString);
        assertEquals("", open.out());
        assertEquals("ispdb: --password-file " + file + " may be read by other users: make it private with "
                + "'chmod 600 " + file + "'\n", open.err());
        assertNoPassword(open);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Cli.Run ok = cli.run("schema-status", "--url", url, "--password-file", file.toString());
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains("schema version:  6 (this ispdb: 6)\n"), ok::toString);

        // the file's password is never shown either
        Cli.Run failed = cli.run("schema-status", "--url", "jdbc:postgresql://127.0.0.1:1/x", "--password-file",
                file.toString(), "--verbose");
        assertEquals(3, failed.exitCode(), failed::toString);
        assertNoPassword(failed);

        Cli.Run missing = cli.run("schema-status", "--url", url, "--password-file", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertEquals("ispdb: --password-file " + tmp.resolve("nope") + ": no such file\n", missing.err());
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("ispdb.testing.TestDatabase#servers")
    @Tag(DatabaseTest.TAG)
    void wrongPasswordOrUnknownDatabaseExitsThree(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind, tmp)) {
            String url = db.url() + (db.url().contains("?") ? "&" : "?") + "password=" + PASSWORD;
            Cli c = new Cli().env("ISPDB_PASSWORD", PASSWORD);
            String expected;
            if (acceptsConnection(url)) {
                // the local server lets anyone in (trust): a database that does not exist fails instead
                url = TestDatabase.withDatabase(url, "ispdb_no_such_database");
                expected = "the database does not exist on that server";
            } else {
                expected = "the server refused the user name or password (give the password with $ISPDB_PASSWORD "
                        + "or --password-file)";
            }
            for (String[] extra : new String[][] {{}, {"--verbose"}}) {
                List<String> args = new ArrayList<>(List.of("list-customers", "--url", url));
                args.addAll(List.of(extra));
                Cli.Run r = c.run(args.toArray(String[]::new));
                assertEquals(3, r.exitCode(), r::toString);
                assertEquals("", r.out());
                assertTrue(r.err().startsWith("ispdb: cannot connect to the "
                        + (kind == TestDatabase.Kind.POSTGRESQL ? "PostgreSQL" : "MariaDB/MySQL") + " database "),
                        r::toString);
                assertTrue(r.err().contains(": " + expected + "\n"), r::toString);
                if (extra.length == 0) {
                    assertOneLine(r);
                }
                assertNoPassword(r);
            }

            // a database that does not exist, whatever the password
            Cli.Run unknown = cli.run("schema-status", "--url", TestDatabase.withDatabase(db.url(), "ispdb_no_such_db"));
            assertEquals(3, unknown.exitCode(), unknown::toString);
            assertOneLine(unknown);
            assertTrue(unknown.err().endsWith(": the database does not exist on that server\n"), unknown::toString);
        }
    }

    private static boolean acceptsConnection(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    // --- the log file

    @Test
    void logFileRecordsTheRunButNotThePassword() throws IOException {
        Path log = tmp.resolve("logs/ispdb.log");
        Files.createDirectories(log.getParent());
        Path pw = Fixtures.write(tmp, "pw", PASSWORD + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        String url = sqliteUrl("logged.sqlite");
        Cli.Run r = new Cli().env("ISPDB_PASSWORD", PASSWORD).run("init-schema", "--url", url, "--log-file",
                log.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.size(log) > 0);
        String first = Files.readString(log);
        assertTrue(first.contains("init-schema"), first);
        Cli.Run again = cli.run("schema-status", "--url", url, "--password-file", pw.toString(), "--log-file",
                log.toString(), "--verbose");
        assertEquals(0, again.exitCode(), again::toString);
        String text = Files.readString(log);
        assertTrue(text.startsWith(first) && text.length() > first.length(), "appends: " + text);
        assertFalse(text.contains(PASSWORD), text);
        assertNoPassword(r);
        assertNoPassword(again);

        Cli.Run badFolder = cli.run("schema-status", "--url", url, "--log-file", tmp.resolve("nope/x.log").toString());
        assertEquals(2, badFolder.exitCode(), badFolder::toString);
        assertEquals("ispdb: cannot write the log file " + tmp.resolve("nope/x.log") + ": its folder "
                + tmp.resolve("nope") + " does not exist\n",
                badFolder.err());
    }

    /** What a cron job's log says of each run: the command line, the database, what was written, the exit code. */
    @Test
    void logFileRecordsEachRunsCommandDatabaseWritesAndExitCode() throws IOException {
        Path log = tmp.resolve("cron.log");
        String url = sqliteUrl("cron.sqlite");
        assertEquals(0, cli.run("init-schema", "--url", url).exitCode());
        Cli.Run load = cli.run("load-csv", "--url", url, "--dir", Fixtures.exportFolder(tmp).toString(), "--log-file",
                log.toString());
        assertEquals(0, load.exitCode(), load::toString);
        Cli.Run one = cli.run("record-prediction", "--url", url, "--customer", "2", "--clv", "12.5", "--log-file",
                log.toString());
        assertEquals(0, one.exitCode(), one::toString);
        String id = one.out().strip();
        Cli.Run unknown = cli.run("record-prediction", "--url", url, "--customer", "999", "--clv", "1", "--log-file",
                log.toString());
        assertEquals(1, unknown.exitCode(), unknown::toString);
        List<String> lines = Files.readAllLines(log);
        String text = String.join("\n", lines);
        assertTrue(text.contains("load-csv --url " + url + " --dir "), text);
        assertTrue(text.contains("database " + url + ")"), text);
        assertTrue(text.matches("(?s).*load of the 4 files [^\n]*dim_customer.csv[^\n]*: read 18, loaded 18, skipped 0, "
                + "rejected 0.*"), text);
        assertTrue(text.contains("record-prediction --url " + url + " --customer 2 --clv 12.5"), text);
        assertTrue(text.contains("recorded prediction_id " + id + " for customer 2 (clv 12.5)"), text);
        assertTrue(text.contains("unknown customer 999"), text);
        assertEquals(List.of("exit code 0", "exit code 0", "exit code 1"), lines.stream()
                .filter(l -> l.contains("exit code")).map(l -> l.substring(l.indexOf("exit code"))).toList(), text);
    }
}
