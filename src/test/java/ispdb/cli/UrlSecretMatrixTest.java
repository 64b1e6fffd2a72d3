package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.cli.Ispdb;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command that takes a database, given every URL form with a secret in it (a reachable server where the form
 * allows, a closed port, and the forms ispdb refuses), with --verbose and --log-file, and $ISPDB_PASSWORD the same
 * secret: the secret is in none of standard output, standard error, the verbose log lines, the log file, the load
 * journal ({@code history}) and the report. The commands are picocli's subcommands at run time, so a command added
 * later is in the matrix by itself; one the matrix cannot classify fails it.
 */
class UrlSecretMatrixTest {
    /** What each command that takes --url needs besides it to run to its end ({DATA}: the export folder). */
    private static final Map<String, List<String>> ARGUMENTS = Map.ofEntries(
            Map.entry("init-schema", List.of()),
            Map.entry("load-csv", List.of("--mode", "upsert", "--table", "payment-methods",
                    "{DATA}/dim_payment_method.csv")),
            Map.entry("list-customers", List.of()),
            Map.entry("record-prediction", List.of("--customer", "1", "--clv", "12.5", "--type", "Star")),
            Map.entry("schema-status", List.of()),
            Map.entry("refresh-customer-stats", List.of()),
            Map.entry("rfm-summary", List.of()),
            Map.entry("survival", List.of()),
            Map.entry("predict", List.of()),
            Map.entry("prune-predictions", List.of("--keep-latest", "7")),
            Map.entry("report", List.of("--output", "{DATA}/report.html")),
            Map.entry("history", List.of()),
            Map.entry("export", List.of("--table", "payment-methods")),
            Map.entry("check", List.of()),
            Map.entry("ingest", List.of("--settle", "0", "{DATA}")),
            // {ROLE}: a role of the server (SQLite has none: grant refuses, exit 2, see matrix)
            Map.entry("grant", List.of("--reader", "{ROLE}")));
    /** The commands that take no database. */
    private static final Set<String> NO_DATABASE = Set.of("help", "generate-completion");

    private enum Outcome { WORKS, CANNOT_CONNECT, REFUSED }

    /** A URL form with the secret in it, and what a command given it does. */
    private record Form(String url, Outcome outcome) {
    }

    @TempDir
    Path tmp;

    private final String secret = "Sx" + Long.toHexString(System.nanoTime()) + "q";

    /** The commands, as picocli has them: one --url, two (--from and --to), or none. */
    @Test
    void everyCommandIsClassified() {
        CommandLine cl = Ispdb.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of());
        List<String> oneUrl = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            CommandLine.Model.CommandSpec spec = e.getValue().getCommandSpec();
            String name = e.getKey();
            if (spec.findOption("--url") != null) {
                assertTrue(ARGUMENTS.containsKey(name), name + " takes --url but the secret matrix does not know what "
                        + "else it needs: add it to UrlSecretMatrixTest.ARGUMENTS");
                oneUrl.add(name);
            } else if (spec.findOption("--from") != null && spec.findOption("--to") != null) {
                assertEquals("copy", name, "a second command with two databases: give it its own runs in the matrix");
            } else if (!NO_DATABASE.contains(name)) {
                fail(name + " takes no --url, no --from/--to and is not known to take no database: the secret matrix "
                        + "cannot classify it");
            }
        }
        assertEquals(ARGUMENTS.keySet(), Set.copyOf(oneUrl), "ARGUMENTS names a command picocli does not have");
    }

    @Tag(DatabaseTest.TAG) // the servers' tests; the other tests of this class need no server
    @ParameterizedTest
    @MethodSource("ispdb.testing.TestDatabase#kinds")
    void noCommandShowsASecretOfItsUrl(TestDatabase.Kind kind) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind, tmp)) {
            org.junit.jupiter.api.Assumptions.assumeFalse(kind == TestDatabase.Kind.SPIDER, "not on a Spider head: the"
                    + " URL forms (failover lists, a user with a password) are the driver's, the same as on MariaDB");
            Path data = Fixtures.exportFolder(tmp);
            Cli plain = new Cli();
            Cli.Run init = plain.run("init-schema", "--url", db.url());
            assertEquals(0, init.exitCode(), init::toString);
            Cli.Run load = plain.run("load-csv", "--url", db.url(), "--dir", data.toString());
            assertEquals(0, load.exitCode(), load::toString);
            String user = null;
            try {
                if (kind == TestDatabase.Kind.MARIADB) {
                    user = passwordUser(db);
                }
                matrix(db, forms(db, user), data, user != null ? user : "postgres");
            } finally {
                if (user != null) {
                    db.update("DROP USER IF EXISTS '" + user + "'@'%'");
                    db.update("DROP USER IF EXISTS '" + user + "'@'localhost'");
                }
            }
        }
    }

    /** copy takes --from and --to, not --url: a bad $ISPDB_URL does not matter to it, and --url is unknown. */
    @Test
    void copyTakesNoUrl() {
        String from = "jdbc:sqlite:" + tmp.resolve("from.sqlite");
        assertEquals(0, new Cli().run("init-schema", "--url", from).exitCode());
        Cli.Run ok = new Cli().env("ISPDB_URL", "garbage").run("copy", "--from", from, "--to",
                "jdbc:sqlite:" + tmp.resolve("to.sqlite"));
        assertEquals(0, ok.exitCode(), ok::toString);
        Cli.Run url = new Cli().run("copy", "--url", from, "--from", from, "--to",
                "jdbc:sqlite:" + tmp.resolve("to2.sqlite"));
        assertEquals(2, url.exitCode(), url::toString);
        assertTrue(url.err().startsWith("ispdb: Unknown option") && url.err().contains("'--url'"), url::toString);
        assertFalse(new Cli().run("copy", "--help").out().contains("--url"));
        // an empty SQLite path (an unset shell variable) is refused, not copied into a database in memory
        Cli.Run unset = new Cli().run("copy", "--from", from, "--to", "jdbc:sqlite:");
        assertEquals(2, unset.exitCode(), unset::toString);
        assertTrue(unset.err().startsWith("ispdb: --to jdbc:sqlite: names no database file"), unset::toString);
        assertEquals("", unset.out());
    }

    /**
     * The log file masks a secret's value only: the closing parenthesis and the options after it stay, and the rest
     * of the line is as typed (a short password's letters are not masked elsewhere in it).
     */
    @Test
    void theLogFileMasksTheValueOnly() throws IOException {
        Path log = tmp.resolve("x.log");
        String url = "jdbc:mariadb://address=(host=127.0.0.1)(password=x)(port=1)/db?connectTimeout=5&user=u";
        Cli.Run r = new Cli().run("schema-status", "--url", url, "--log-file", log.toString());
        assertEquals(2, r.exitCode(), r::toString);
        String masked = "jdbc:mariadb://address=(host=127.0.0.1)(password=***)(port=1)/db?connectTimeout=5&user=u";
        assertEquals("ispdb: --url " + masked + " has a password inside address=(...), which the MariaDB driver "
                + "ignores: give the user with --user (or ?user=NAME) and the password with $ISPDB_PASSWORD or "
                + "--password-file\n", r.err());
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(logged.contains("schema-status --url " + masked + " --log-file " + log + " (user "), logged);
        assertTrue(logged.contains("ERROR [ispdb] --url " + masked + " has a password inside"), logged);
    }

    /**
     * pgjdbc's own warnings (java.util.logging, printed on standard error by default) go to ispdb's log, masked: a
     * real process prints the one sentence only, and no secret. (It warns here about the unknown service.)
     */
    @Test
    void pgjdbcWarningsStayOffStandardError() {
        Cli.Run r = SafetySupport.run(tmp, "schema-status", "--url", "jdbc:postgresql://127.0.0.1:1/x?service=nope"
                + "&password=" + secret);
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("ispdb: cannot connect to the PostgreSQL database jdbc:postgresql://127.0.0.1:1/"
                + "x?service=nope&password=***: ") && r.err().indexOf('\n') == r.err().length() - 1, r::toString);
        assertFalse(r.err().contains(secret) || r.out().contains(secret), r::toString);
    }

    /**
     * A MariaDB user whose password is the secret, on this database and check's scratch databases only (the test
     * server's root has no password).
     */
    private String passwordUser(TestDatabase db) {
        String user = "ispdb_m_" + ProcessHandle.current().pid();
        String name = db.url().substring(db.url().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        for (String host : List.of("%", "localhost")) {
            db.update("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + secret + "'");
            // with the grant option: grant --reader gives it to itself
            db.update("GRANT ALL ON " + name + ".* TO '" + user + "'@'" + host + "' WITH GRANT OPTION");
            db.update("GRANT ALL ON `ispdb\\_check\\_%`.* TO '" + user + "'@'" + host + "' WITH GRANT OPTION");
        }
        return user;
    }

    private List<Form> forms(TestDatabase db, String mariadbUser) {
        String url = db.url();
        return switch (db.kind()) {
            case SQLITE -> List.of(
                    new Form(url + "?password=" + secret, Outcome.WORKS),
                    new Form(url, Outcome.WORKS),
                    new Form("jdbc:sqlite:?password=" + secret, Outcome.REFUSED));
            case POSTGRESQL -> {
                String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
                yield List.of(
                        new Form(url + "&password=" + secret, Outcome.WORKS),
                        new Form("jdbc:postgresql://127.0.0.1:1,127.0.0.1:5432/" + name + "?password=" + secret
                                + "&user=postgres&sslpassword=" + secret, Outcome.WORKS),
                        new Form("jdbc:postgresql://postgres:" + secret + "@127.0.0.1:5432/" + name, Outcome.REFUSED),
                        new Form("jdbc:postgresql://127.0.0.1:1/" + name + "?user=postgres&password=" + secret,
                                Outcome.CANNOT_CONNECT));
            }
            case MARIADB, SPIDER -> {
                String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
                String u = mariadbUser;
                yield List.of(
                        new Form("jdbc:mariadb://127.0.0.1:3306/" + name + "?user=" + u + "&password=" + secret,
                                Outcome.WORKS),
                        new Form("jdbc:mariadb:sequential://127.0.0.1:1,127.0.0.1:3306/" + name + "?user=" + u
                                + "&password=" + secret, Outcome.WORKS),
                        new Form("jdbc:mariadb:loadbalance://127.0.0.1:3306/" + name + "?password=" + secret
                                + "&user=" + u + "&trustStorePassword=" + secret, Outcome.WORKS),
                        new Form("jdbc:mysql://127.0.0.1:3306/" + name + "?user=" + u + "&password=" + secret,
                                Outcome.WORKS),
                        new Form("jdbc:mariadb://address=(host=127.0.0.1)(port=3306)(user=" + u + ")(password="
                                + secret + ")/" + name, Outcome.REFUSED),
                        new Form("jdbc:mysql://" + u + ":" + secret + "@127.0.0.1:3306/" + name, Outcome.REFUSED),
                        new Form("jdbc:mariadb://127.0.0.1:1/" + name + "?password=" + secret + "&user=" + u,
                                Outcome.CANNOT_CONNECT));
            }
        };
    }

    private void matrix(TestDatabase db, List<Form> forms, Path data, String role) throws IOException {
        Path log = tmp.resolve("matrix.log");
        // every other form logs in JSON (--log-format json), which masks as the text does
        Path jsonLog = tmp.resolve("matrix.json.log");
        int formIndex = 0;
        Path verboseLines = verboseLines();
        long verboseStart = Files.size(verboseLines);
        Cli cli = new Cli().env("ISPDB_PASSWORD", secret);
        int copies = 0;
        for (Form form : forms) {
            boolean json = formIndex++ % 2 == 1;
            for (Map.Entry<String, List<String>> command : ARGUMENTS.entrySet()) {
                List<String> args = new ArrayList<>(List.of(command.getKey(), "--url", form.url(), "-v",
                        "--log-file", (json ? jsonLog : log).toString(), "--log-format", json ? "json" : "text"));
                command.getValue().forEach(a -> args.add(a.replace("{DATA}", data.toString()).replace("{ROLE}", role)));
                Cli.Run run = cli.run(args.toArray(String[]::new));
                if (db.kind() == TestDatabase.Kind.SQLITE && command.getKey().equals("grant")
                        && form.outcome() == Outcome.WORKS) {
                    // SQLite has no roles: a usage error, after the URL was checked
                    assertEquals(2, run.exitCode(), () -> args + ": " + run);
                    assertTrue(run.err().startsWith("ispdb: SQLite has no roles"), () -> args + ": " + run);
                    assertFalse(run.err().contains(secret), () -> args + ": " + run);
                } else {
                    check(form, run, args);
                }
            }
            // copy, the URL as either database; the target's journal names the source
            Path target = tmp.resolve("copy-" + copies++ + ".sqlite");
            List<String> from = List.of("copy", "--from", form.url(), "--to", "jdbc:sqlite:" + target, "-v",
                    "--log-file", log.toString());
            check(form, cli.run(from.toArray(String[]::new)), from);
            if (form.outcome() == Outcome.WORKS) {
                Cli.Run history = cli.run("history", "--url", "jdbc:sqlite:" + target, "--format", "csv");
                assertEquals(0, history.exitCode(), history::toString);
                assertTrue(history.out().contains("copy"), history::toString);
                assertFalse(history.out().contains(secret), history::toString);
                String journal = String.valueOf(TestDatabaseFile.query(target, "SELECT * FROM load_journal"));
                assertFalse(journal.contains(secret), journal);
            }
            // into it: refused (it has rows) unless the URL is refused or unreachable first
            List<String> to = List.of("copy", "--from", db.kind() == TestDatabase.Kind.SQLITE
                    ? "jdbc:sqlite:" + tmp.resolve("copy-0.sqlite") : "jdbc:sqlite:" + target, "--to", form.url(),
                    "-v", "--log-file", log.toString());
            Cli.Run into = cli.run(to.toArray(String[]::new));
            assertFalse(into.out().contains(secret) || into.err().contains(secret), () -> to + ": " + into);
            assertNotEquals(70, into.exitCode(), () -> to + ": " + into);
        }
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        for (String command : ARGUMENTS.keySet()) {
            assertTrue(logged.contains(" " + command + " "), () -> "the log file has no run of " + command);
        }
        assertFalse(logged.contains(secret), "the log file shows the secret");
        assertTrue(logged.contains("password=***"), "the log file names the URLs, masked");
        if (forms.size() > 1) {
            List<String> lines = Files.readAllLines(jsonLog, StandardCharsets.UTF_8);
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : lines) {
                assertTrue(mapper.readTree(line).has("message"), line); // JSON, one object per line
                assertFalse(line.contains(secret), "the JSON log shows the secret: " + line);
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains("***")), "the JSON log names the URLs, masked");
        }
        String verbose = readFrom(verboseLines, verboseStart);
        assertTrue(verbose.contains("INFO"), "the verbose lines were written");
        assertFalse(verbose.contains(secret), "the verbose lines show the secret");
        String report = Files.readString(data.resolve("report.html"), StandardCharsets.UTF_8);
        assertFalse(report.contains(secret), "the report shows the secret");
    }

    private void check(Form form, Cli.Run r, List<String> args) {
        assertFalse(r.out().contains(secret), () -> args + ": stdout shows the secret: " + r);
        assertFalse(r.err().contains(secret), () -> args + ": stderr shows the secret: " + r);
        switch (form.outcome()) {
            case REFUSED -> {
                assertEquals(2, r.exitCode(), () -> args + ": " + r);
                assertTrue(r.err().startsWith("ispdb: --"), () -> args + ": " + r);
            }
            case CANNOT_CONNECT -> {
                assertEquals(3, r.exitCode(), () -> args + ": " + r);
                assertTrue(r.err().startsWith("ispdb: cannot connect to "), () -> args + ": " + r);
            }
            case WORKS -> {
                // connected and did its work (a rejected prediction, a fit without data, rows skipped: its own)
                assertFalse(Set.of(2, 3, 70).contains(r.exitCode()), () -> args + ": " + r);
            }
        }
    }

    /** Where {@link Cli} sends the verbose log lines of in-process runs (target/test-logs/). */
    private static Path verboseLines() {
        return Cli.logLinesFile();
    }

    private static String readFrom(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an SQLite file directly. */
    private static final class TestDatabaseFile {
        static List<List<Object>> query(Path file, String sql) {
            List<List<Object>> rows = new ArrayList<>();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return rows;
        }
    }
}
