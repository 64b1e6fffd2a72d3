package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.cli.Ispdb;
import ispdb.testing.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SQLite file in rollback-journal mode (made by another program, or set back by its owner) stays byte for byte
 * as it was after every command that only reads, and after a refused write; only a write that commits switches it
 * to WAL. The subcommands are enumerated from the command line itself: a new one fails this test until it is
 * classified here.
 */
class ReadOnlyFileTest {
    /** The commands that write, with why they are not run here. */
    private static final Set<String> WRITERS = Set.of("init-schema", "load-csv", "record-prediction",
            "refresh-customer-stats", "copy", "ingest", "prune-predictions");
    /** The commands that touch no database at all. */
    private static final Set<String> NO_DATABASE = Set.of("help", "generate-completion");

    @TempDir
    Path tmp;

    final Cli cli = new Cli();

    /** The read-only commands, each with the arguments of a run that reads the whole of what it reads. */
    private Map<String, List<String>> readOnly() {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("list-customers", List.of());
        commands.put("history", List.of());
        commands.put("check", List.of());
        commands.put("schema-status", List.of());
        commands.put("rfm-summary", List.of());
        commands.put("survival", List.of());
        commands.put("predict", List.of()); // without --record
        commands.put("export", List.of("--table", "transactions", "--output", tmp.resolve("t.csv").toString()));
        commands.put("report", List.of("--output", tmp.resolve("r.html").toString()));
        commands.put("grant", List.of("--reader", "someone")); // refused on SQLite, the file untouched
        return commands;
    }

    @Test
    void readsAndRefusalsLeaveARollbackJournalFileByteIdentical() throws Exception {
        Path file = tmp.resolve("isp.sqlite");
        String url = "jdbc:sqlite:" + file;
        assertEquals(0, cli.run("init-schema", "--url", url).exitCode());
        Cli.Run load = cli.run("load-csv", "--url", url, "--dir",
                Path.of(System.getProperty("basedir", "."), "sample-data").toString());
        assertEquals(0, load.exitCode(), load::toString);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = DELETE");
        }
        assertEquals("delete", journalMode(url));
        assertNoSideFiles(file);

        Set<String> all = new TreeSet<>(Ispdb.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Map.of()).getSubcommands().keySet());
        Set<String> classified = new TreeSet<>(readOnly().keySet());
        classified.addAll(WRITERS);
        classified.addAll(NO_DATABASE);
        assertEquals(classified, all, "every subcommand is classified as read-only or writing");

        String before = sha256(file);
        for (Map.Entry<String, List<String>> command : readOnly().entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of(command.getKey(), "--url", url));
            args.addAll(command.getValue());
            Cli.Run run = cli.run(args.toArray(String[]::new));
            Cli.assertNoStackTrace(run);
            // check exits with 1 when it has findings (the sample's derived columns); grant refuses SQLite (no roles)
            assertTrue(run.exitCode() == 0 || command.getKey().equals("check") && run.exitCode() == 1
                    || command.getKey().equals("grant") && run.exitCode() == 2, () -> command.getKey() + ": " + run);
            assertEquals(before, sha256(file), command.getKey() + " left the file as it was");
            assertNoSideFiles(file);
        }

        // a refused write: a transaction dated 2099
        Path bad = Files.writeString(tmp.resolve("tx.csv"), "transaction_id,customer_id,payment_method_id,"
                + "transaction_date,amount\n900001,1,1,2099-01-01,5\n");
        Cli.Run refused = cli.run("load-csv", "--url", url, "--table", "transactions", bad.toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals(before, sha256(file), "a refused load left the file as it was");
        assertNoSideFiles(file);
        assertEquals("delete", journalMode(url));

        // a write that goes ahead switches it to WAL, once
        Cli.Run record = cli.run("record-prediction", "--url", url, "--customer", "1", "--clv", "12.5");
        assertEquals(0, record.exitCode(), record::toString);
        assertEquals("wal", journalMode(url));
        assertEquals(121, count(url, "SELECT COUNT(*) FROM clv_prediction"));
    }

    private static String journalMode(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            r.next();
            return r.getString(1);
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void assertNoSideFiles(Path file) {
        for (String suffix : List.of("-wal", "-shm", "-journal")) {
            assertFalse(Files.exists(Path.of(file + suffix)), () -> file + suffix + " exists");
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
