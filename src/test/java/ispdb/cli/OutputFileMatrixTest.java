package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.cli.Ispdb;
import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.LegacyDatabase;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of every command that names a file ispdb writes, found at run time in picocli's model (a command or
 * a file option added later is covered, or fails {@link #everyFileOptionOfEveryCommandIsClassified()}), gets every
 * hostile target through the real command line: the database and its -wal, -shm and -journal files, an input of the
 * same run, {@code -}, /dev/stdout, a FIFO, a folder, a path that cannot be written, and another user's link in a
 * sticky world-writable folder. The rules do not depend on the database (they are checked before it is opened, or
 * on the file alone), so the matrix runs on SQLite, where the database is a file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputFileMatrixTest {
    /** What an option that names a file does with it. */
    enum Role { WRITES, READS }

    /**
     * The options that name a file, per command ("*" for every command that has it). An option whose type is a path
     * or whose label says FILE or DIR and is not here fails the test.
     */
    static final Map<String, Role> FILE_OPTIONS = Map.ofEntries(
            Map.entry("*:--log-file", Role.WRITES),
            Map.entry("*:--metrics-file", Role.WRITES),
            Map.entry("*:--password-file", Role.READS),
            Map.entry("*:--config", Role.READS),
            Map.entry("export:--output", Role.WRITES),
            Map.entry("report:--output", Role.WRITES),
            Map.entry("load-csv:--reject-file", Role.WRITES),
            Map.entry("record-prediction:--reject-file", Role.WRITES),
            Map.entry("init-schema:--reject-file", Role.WRITES),
            Map.entry("load-csv:--dir", Role.READS),
            Map.entry("load-csv:FILE", Role.READS),
            Map.entry("record-prediction:--file", Role.READS),
            Map.entry("ingest:DIR", Role.READS));

    /** Commands that write only to standard output, and take no file option. */
    static final Set<String> STANDARD_OUTPUT_ONLY = Set.of("generate-completion", "help");

    @TempDir
    static Path tmp;

    TestDatabase db;
    Path settings;
    Path customersWithABadRow;
    Path predictionsWithABadRow;
    Path sticky;
    final AtomicInteger counter = new AtomicInteger();
    final List<TestDatabase> legacy = new ArrayList<>();

    /** A run that works, with the database, the settings file (an input of every run) and its output named. */
    record Invocation(TestDatabase db, Function<String, String[]> args, String expected) {
        /** The run's database file. */
        Path database() {
            return Path.of(db.url().substring("jdbc:sqlite:".length()));
        }
    }

    /** The run with its output at {@code target}, and the settings file as an input. */
    Cli.Run run(Invocation inv, String target) {
        return new Cli().run(with(inv.args().apply(target), "--config", settings.toString()));
    }

    @BeforeAll
    void prepare() {
        db = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
        SafetySupport.prepare(db, tmp, 50);
        Path tx = SafetySupport.transactions(tmp, "tx.csv", 1, 400, 50);
        Cli.Run load = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions", tx.toString());
        assertEquals(0, load.exitCode(), load::toString);
        settings = Fixtures.write(tmp, "ispdb.properties", "busy-timeout=30000\n");
        customersWithABadRow = Fixtures.write(tmp, "bad-customers.csv", "customer_id,age,gender,"
                + "first_transaction_date,last_transaction_date,survival_time,event_observed\n900,abc,Male,,,,\n");
        predictionsWithABadRow = Fixtures.write(tmp, "bad-predictions.csv", Fixtures.PREDICTIONS + "777,5.0,Star,,\n");
    }

    @AfterAll
    void drop() {
        db.close();
        legacy.forEach(TestDatabase::close);
    }

    /** The base run of every command (what it is given so that it works), for --log-file; null: not known. */
    Map<String, Function<String, String[]>> commands() {
        String url = db.url();
        Map<String, Function<String, String[]>> m = new LinkedHashMap<>();
        m.put("init-schema", log -> new String[] {"init-schema", "--url", url});
        m.put("load-csv", log -> new String[] {"load-csv", "--url", url, "--table", "customers",
            customersWithABadRow.toString(), "--on-error", "skip", "--reject-file", tmp.resolve("r.csv").toString()});
        m.put("list-customers", log -> new String[] {"list-customers", "--url", url, "--limit", "2"});
        m.put("record-prediction", log -> new String[] {"record-prediction", "--url", url, "--customer", "1", "--clv",
            "2.5"});
        m.put("schema-status", log -> new String[] {"schema-status", "--url", url});
        m.put("refresh-customer-stats", log -> new String[] {"refresh-customer-stats", "--url", url});
        m.put("rfm-summary", log -> new String[] {"rfm-summary", "--url", url});
        m.put("survival", log -> new String[] {"survival", "--url", url});
        m.put("predict", log -> new String[] {"predict", "--url", url});
        m.put("report", log -> new String[] {"report", "--url", url, "--output", tmp.resolve("r.html").toString()});
        m.put("history", log -> new String[] {"history", "--url", url});
        m.put("prune-predictions", log -> new String[] {"prune-predictions", "--url", url, "--keep-latest", "7"});
        m.put("export", log -> new String[] {"export", "--url", url, "--table", "customers"});
        m.put("copy", log -> new String[] {"copy", "--from", url, "--to",
            "jdbc:sqlite:" + tmp.resolve("copy-" + counter.incrementAndGet() + ".sqlite"), "--quiet"});
        m.put("check", log -> new String[] {"check", "--url", url});
        // a drop folder whose incoming/ (made by the first run) stays empty
        Path drop = tmp.resolve("drop");
        try {
            Files.createDirectories(drop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.put("ingest", log -> new String[] {"ingest", "--url", url, "--settle", "0", drop.toString()});
        return m;
    }

    /**
     * The commands that work on a server only (grant: SQLite has no roles), and this matrix's database is SQLite: their
     * only file options are --log-file and --metrics-file, opened by the code every command shares (DatabaseCommand),
     * and GrantTest runs them on the servers.
     */
    static final Set<String> NEEDS_A_SERVER = Set.of("grant");

    /** How each option that writes a file is given a target in a run that works, and what the file then holds. */
    Invocation invocation(String command, String option) {
        if ((option.equals("--log-file") || option.equals("--metrics-file")) && NEEDS_A_SERVER.contains(command)) {
            return null;
        }
        if (option.equals("--log-file")) {
            return new Invocation(db, target -> with(commands().get(command).apply(target), "--log-file", target),
                    "exit code ");
        }
        if (option.equals("--metrics-file")) {
            return new Invocation(db, target -> with(commands().get(command).apply(target), "--metrics-file", target),
                    "ispdb_last_exit_code{command=\"" + command + "\"}");
        }
        String url = db.url();
        return switch (command + ":" + option) {
            case "export:--output" -> new Invocation(db, t -> new String[] {"export", "--url", url, "--table", "customers",
                "--output", t}, "customer_id,age,gender");
            case "report:--output" -> new Invocation(db, t -> new String[] {"report", "--url", url, "--output", t},
                "<!DOCTYPE html>");
            case "load-csv:--reject-file" -> new Invocation(db, t -> new String[] {"load-csv", "--url", url, "--table",
                "customers", customersWithABadRow.toString(), "--on-error", "skip", "--reject-file", t},
                "file,line,column,problem,row");
            case "record-prediction:--reject-file" -> new Invocation(db, t -> new String[] {"record-prediction", "--url",
                url, "--file", predictionsWithABadRow.toString(), "--again", "--on-error", "skip", "--reject-file", t},
                "unknown customer 777");
            case "init-schema:--reject-file" -> {
                TestDatabase legacyDb = legacyDatabase();
                yield new Invocation(legacyDb, t -> new String[] {"init-schema", "--adopt", "--url", legacyDb.url(),
                    "--reject-file", t}, "file,line,column,problem,row");
            }
            default -> null;
        };
    }

    /** A fresh database of the tool before ispdb (adoption changes it), with rows --adopt sets aside. */
    TestDatabase legacyDatabase() {
        Path folder = tmp.resolve("legacy-" + counter.incrementAndGet());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestDatabase d = TestDatabase.create(TestDatabase.Kind.SQLITE, folder);
        legacy.add(d);
        LegacyDatabase.create(d);
        return d;
    }

    static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Every subcommand and every option of it that names a file, from picocli's model. */
    static Map<String, List<String>> fileOptions() {
        CommandLine cl = Ispdb.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of());
        Map<String, List<String>> found = new LinkedHashMap<>();
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> options = new ArrayList<>();
            List<ArgSpec> args = new ArrayList<>(sub.getCommandSpec().options());
            args.addAll(sub.getCommandSpec().positionalParameters());
            for (ArgSpec a : args) {
                String label = a.paramLabel() == null ? "" : a.paramLabel();
                boolean path = a.type() == Path.class || a.type() == File.class
                        || label.matches("(?i).*\\b(FILE|DIR|F)\\b.*");
                if (path) {
                    options.add(a instanceof OptionSpec o ? o.longestName() : label);
                }
            }
            found.put(name, options);
        });
        return found;
    }

    static Role role(String command, String option) {
        Role r = FILE_OPTIONS.get(command + ":" + option);
        return r != null ? r : FILE_OPTIONS.get("*:" + option);
    }

    @Test
    void everyFileOptionOfEveryCommandIsClassified() {
        List<String> unknown = new ArrayList<>();
        fileOptions().forEach((command, options) -> {
            if (STANDARD_OUTPUT_ONLY.contains(command)) {
                if (!options.isEmpty()) {
                    unknown.add(command + " " + options + " (classified as writing standard output only)");
                }
                return;
            }
            if (NEEDS_A_SERVER.contains(command)) {
                return;
            }
            if (!commands().containsKey(command)) {
                unknown.add(command + " (no base run for --log-file: add it to commands())");
            }
            for (String option : options) {
                Role r = role(command, option);
                if (r == null) {
                    unknown.add(command + " " + option + " (add it to FILE_OPTIONS)");
                } else if (r == Role.WRITES && invocation(command, option) == null) {
                    unknown.add(command + " " + option + " (writes a file: add a run to invocation())");
                }
            }
        });
        assertEquals(List.of(), unknown, "options that name a file, not classified: the matrix cannot test them");
    }

    /** One test per command, option that writes a file, and hostile target. */
    @TestFactory
    Stream<DynamicTest> everyOptionThatWritesAFileKeepsEveryRule() {
        List<DynamicTest> tests = new ArrayList<>();
        fileOptions().forEach((command, options) -> {
            for (String option : options) {
                if (role(command, option) != Role.WRITES || invocation(command, option) == null) {
                    continue; // failed by everyFileOptionOfEveryCommandIsClassified
                }
                for (Hostile h : Hostile.values()) {
                    tests.add(DynamicTest.dynamicTest(command + " " + option + " " + h.name().toLowerCase(),
                            () -> check(command, option, h)));
                }
            }
        });
        return tests.stream();
    }

    enum Hostile { DATABASE, WAL, SHM, JOURNAL, SETTINGS_FILE, CSV_INPUT, DASH, DEV_STDOUT, FIFO, FOLDER, UNWRITABLE,
        FOREIGN_LINK }

    void check(String command, String option, Hostile h) throws Exception {
        Invocation inv = invocation(command, option);
        boolean log = option.equals("--log-file");
        Path database = inv.database();
        switch (h) {
            case DATABASE -> refused(inv, database, "is the database file " + database);
            case WAL, SHM, JOURNAL -> {
                Path companion = Path.of(database + "-" + h.name().toLowerCase());
                refused(inv, companion, "is the -" + h.name().toLowerCase() + " file of the database " + database);
            }
            case SETTINGS_FILE -> refused(inv, settings, "is the input file " + settings);
            case CSV_INPUT -> {
                Path input = command.equals("load-csv") ? customersWithABadRow
                        : command.equals("record-prediction") && option.equals("--reject-file")
                        ? predictionsWithABadRow : null;
                Assumptions.assumeTrue(input != null, "the run reads no CSV file (its settings file is the input)");
                refused(inv, input, "is the input file " + input);
            }
            case FOLDER -> {
                Path folder = Files.createDirectories(tmp.resolve("a-folder"));
                refused(inv, folder, "is a folder: name a file");
                assertTrue(Files.isDirectory(folder));
            }
            case UNWRITABLE -> {
                // /sys takes no new file, not even from root
                Path unwritable = Path.of("/sys/ispdb-matrix-" + counter.incrementAndGet());
                Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys")), "SKIPPED: no /sys");
                refused(inv, unwritable, "cannot write");
                assertFalse(Files.exists(unwritable));
            }
            case FOREIGN_LINK -> foreignLink(inv);
            case DASH, DEV_STDOUT -> {
                String target = h == Hostile.DASH ? "-" : "/dev/stdout";
                ByteArrayOutputStream console = new ByteArrayOutputStream();
                PrintStream saved = System.out;
                Cli.Run r;
                System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
                try {
                    r = run(inv, target);
                } finally {
                    System.setOut(saved);
                }
                Cli.Run run = r;
                assertSucceeded(run);
                // the log goes through Log4j2's console (System.out); every other file through the run's own output
                String out = log ? console.toString(StandardCharsets.UTF_8) : run.out();
                assertTrue(out.contains(inv.expected()), () -> "not on standard output: " + run + "\n" + out);
                assertFalse(Files.exists(Path.of("-")), "a file named - was written");
                assertTrue(Files.isSymbolicLink(Path.of("/dev/stdout")), "/dev/stdout is no longer a link");
            }
            case FIFO -> fifo(inv, log);
            default -> fail(h.name());
        }
    }

    /** The run succeeds (0, or 4 with rejected rows) without a word on standard error. */
    static void assertSucceeded(Cli.Run r) {
        assertTrue(r.exitCode() == 0 || r.exitCode() == 4, r::toString);
        Cli.assertNoStackTrace(r);
        assertFalse(r.err().contains("cannot write"), r::toString);
    }

    /** Exit code 2, one sentence naming the problem, the target and the database unchanged, no temporary file. */
    void refused(Invocation inv, Path target, String what) throws IOException {
        String before = Files.exists(target) && Files.isRegularFile(target) ? digest(target) : null;
        String rows = inv.db().snapshot();
        Cli.Run r = run(inv, target.toString());
        String sentence = r.err().strip();
        assertAll(r::toString,
                () -> assertEquals(2, r.exitCode()),
                () -> assertTrue(sentence.startsWith("ispdb: "), sentence),
                () -> assertFalse(sentence.contains("\n"), "more than one line"),
                () -> assertTrue(sentence.contains(what), "'" + what + "' is not in: " + sentence),
                () -> Cli.assertNoStackTrace(r));
        if (before != null) {
            assertEquals(before, digest(target), target + " was changed");
        }
        assertEquals(rows, inv.db().snapshot(), "the database changed");
        assertNoTemporaryFiles();
    }

    void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            // the drop folder's lock file stays by design (ingest's lock: removing it would let two runs lock two files)
            List<Path> left = all.filter(p -> p.getFileName().toString().startsWith(".ispdb-")
                    && !p.getFileName().toString().equals(".ispdb-ingest.lock")).toList();
            assertEquals(List.of(), left, "temporary files left");
        }
    }

    /**
     * A link that user nobody planted in a sticky world-writable folder, to a file of root's: refused (the kernel's
     * protected_symlinks rule, which ispdb keeps itself), the file unchanged, its mode too.
     */
    void foreignLink(Invocation inv) throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: planting another user's link needs root");
        if (sticky == null) {
            sticky = Files.createDirectories(tmp.resolve("sticky"));
            Files.setPosixFilePermissions(sticky, PosixFilePermissions.fromString("rwxrwxrwx"));
            Process p = new ProcessBuilder("chmod", "+t", sticky.toString()).inheritIO().start();
            try {
                assertEquals(0, p.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        Path precious = Fixtures.write(tmp, "precious-" + counter.incrementAndGet(), "root's own\n");
        Files.setPosixFilePermissions(precious, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(sticky.resolve("out-" + counter.incrementAndGet()), precious);
        UserPrincipal nobody = link.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
        assertEquals("nobody", Files.getOwner(link, LinkOption.NOFOLLOW_LINKS).getName());
        refused(inv, link, "is a symbolic link of another user (nobody)");
        assertEquals("root's own\n", Files.readString(precious));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(precious)));
        assertTrue(Files.isSymbolicLink(link));
        // the same link, the caller's own: followed
        Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(Files.getOwner(sticky));
        Cli.Run own = run(inv, link.toString());
        assertSucceeded(own);
        assertTrue(Files.readString(precious).contains(inv.expected()), "an own link is followed");
        assertTrue(Files.isSymbolicLink(link));
    }

    /** A FIFO is written in place (its reader gets the text), never replaced by a regular file. */
    void fifo(Invocation inv, boolean log) throws Exception {
        Path fifo = tmp.resolve("out-" + counter.incrementAndGet() + ".fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "SKIPPED: mkfifo is not available");
        // the log stays open until the next run sets logging up again: its reader stops at the run's last line
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            StringBuilder text = new StringBuilder();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(fifo),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    text.append(line).append('\n');
                    if (log && line.contains("exit code ")) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        });
        Cli.Run r = run(inv, fifo.toString());
        assertSucceeded(r);
        String written = reader.get(60, TimeUnit.SECONDS);
        assertTrue(written.contains(inv.expected()), () -> "the FIFO's reader got: " + written + "\n" + r);
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO was replaced");
        assertNoTemporaryFiles();
    }

    static String digest(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Helps a reader of a failure: the classified options, as found. */
    @Test
    void theModelHasTheKnownFileOptions() {
        Set<String> writes = new TreeSet<>();
        fileOptions().forEach((c, options) -> options.stream().filter(o -> role(c, o) == Role.WRITES)
                .forEach(o -> writes.add(c + " " + o)));
        assertTrue(writes.containsAll(Set.of("export --output", "report --output", "load-csv --reject-file",
                "record-prediction --reject-file", "init-schema --reject-file", "check --log-file")), writes::toString);
    }

    /** The temporary reject files in {@code folder} ({@code .ispdb-rejects-PID-N.tmp}). */
    static List<Path> temporaries(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.filter(p -> p.getFileName().toString().matches("\\.ispdb-[a-z]+-\\d+-\\d+\\.tmp")).toList();
        }
    }

    /**
     * SIGTERM and SIGINT to a load that is writing rejected rows (it waits for more of its standard input): the
     * temporary file beside the reject file is gone when the process is.
     */
    @Test
    void sigintAndSigtermRemoveTheTemporaryFile() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Path folder = Files.createDirectories(tmp.resolve("signal-" + signal));
            SafetySupport.Child child = SafetySupport.start(folder, List.of(), true, "load-csv", "--url", db.url(),
                    "--table", "customers", "-", "--on-error", "skip", "--reject-file",
                    folder.resolve("rejects.csv").toString());
            child.process.getOutputStream().write(("customer_id,age,gender,first_transaction_date,"
                    + "last_transaction_date,survival_time,event_observed\n" + "901,abc,Male,,,,\n").getBytes(
                    StandardCharsets.UTF_8));
            child.process.getOutputStream().flush();
            while (temporaries(folder).isEmpty() && child.isAlive()) {
                Thread.sleep(5);
            }
            assertEquals(1, temporaries(folder).size(), () -> "no temporary file: " + child.await());
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.process.pid())).start();
            assertEquals(0, kill.waitFor());
            Cli.Run r = child.await();
            assertTrue(r.exitCode() != 0, r::toString);
            assertEquals(List.of(), temporaries(folder), () -> "SIG" + signal + " left it: " + r);
            assertFalse(Files.exists(folder.resolve("rejects.csv")));
        }
    }

    /**
     * A process killed outright (SIGKILL) cannot clean up: the next write into that folder removes the temporary
     * files of processes that are gone, and keeps those of one that runs.
     */
    @Test
    void theNextWriteRemovesWhatAKilledProcessLeft() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("leftovers"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Fixtures.write(folder, ".ispdb-export-" + gone.pid() + "-42.tmp", "customer data\n");
        Path running = Fixtures.write(folder, ".ispdb-export-1-42.tmp", "pid 1 runs\n");
        Cli.Run r = new Cli().run("export", "--url", db.url(), "--table", "customers", "--output",
                folder.resolve("customers.csv").toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(Files.exists(dead), "the dead process's temporary file is still there");
        assertTrue(Files.exists(running), "a running process's temporary file was removed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                folder.resolve("customers.csv"))));
    }

    /**
     * umask 022: a new database (init-schema, copy's target) and its -wal and -shm, and a new log file are the
     * owner's only; a database that exists keeps its mode.
     */
    @Test
    void newDatabasesAndLogFilesAreTheOwnersOnlyAndAnExistingFileKeepsItsMode() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("modes"));
        Path log = folder.resolve("ispdb.log");
        Cli.Run init = SafetySupport.startWithUmask(folder, "022", "init-schema", "--url", "jdbc:sqlite:"
                + folder.resolve("new.sqlite"), "--log-file", log.toString()).await();
        assertEquals(0, init.exitCode(), init::toString);
        Cli.Run copy = SafetySupport.startWithUmask(folder, "022", "copy", "--from", db.url(), "--to",
                "jdbc:sqlite:" + folder.resolve("copy.sqlite"), "--quiet").await();
        assertEquals(0, copy.exitCode(), copy::toString);
        for (String name : List.of("new.sqlite", "copy.sqlite", "ispdb.log")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    folder.resolve(name))), name);
        }
        // a reader holds the database open, so that its -wal and -shm are there to look at
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("copy.sqlite"));
                java.sql.Statement st = c.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM dim_customer").close();
            for (String name : List.of("copy.sqlite-wal", "copy.sqlite-shm")) {
                Path f = folder.resolve(name);
                Assumptions.assumeTrue(Files.exists(f), "SKIPPED: no " + name + " (not in WAL mode?)");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), name);
            }
        }
        Path shared = folder.resolve("shared.sqlite");
        Files.createFile(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw----"));
        Cli.Run group = new Cli().run("init-schema", "--url", "jdbc:sqlite:" + shared);
        assertEquals(0, group.exitCode(), group::toString);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }

    /** A log file on a full disk: the command works, and says once on standard error that its log is lost. */
    @Test
    void aLogFileThatCannotBeWrittenIsSaidOnceOnStandardError() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "SKIPPED: no /dev/full");
        Cli.Run r = new Cli().run("list-customers", "--url", db.url(), "--limit", "1", "--log-file", "/dev/full");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("ispdb: cannot write the log file /dev/full: the disk is full (the run goes on without its log)\n",
                r.err());
        Cli.Run unwritable = new Cli().run("list-customers", "--url", db.url(), "--log-file", "/sys/ispdb.log");
        assertEquals(2, unwritable.exitCode(), unwritable::toString);
        assertEquals("ispdb: cannot write the log file /sys/ispdb.log: you may not write in /sys\n", unwritable.err());
    }

    /** A device that is full: one sentence; a load whose rejected rows cannot be written loads nothing. */
    @Test
    void aFullDeviceIsOneSentenceAndALoadWhoseRejectsAreLostLoadsNothing() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "SKIPPED: no /dev/full");
        String before = db.snapshot();
        Cli.Run load = new Cli().run("load-csv", "--url", db.url(), "--table", "customers",
                Fixtures.write(tmp, "one-good-one-bad.csv", "customer_id,age,gender,first_transaction_date,"
                        + "last_transaction_date,survival_time,event_observed\n950,30,Male,,,,\n951,abc,Male,,,,\n")
                        .toString(), "--on-error", "skip", "--reject-file", "/dev/full");
        assertEquals(2, load.exitCode(), load::toString);
        assertEquals("ispdb: cannot write the reject file /dev/full: the disk is full (nothing was loaded)\n",
                load.err());
        assertEquals(before, db.snapshot());
        Cli.Run export = new Cli().run("export", "--url", db.url(), "--table", "customers", "--output", "/dev/full");
        assertEquals(2, export.exitCode(), export::toString);
        assertEquals("ispdb: cannot write /dev/full: the disk is full (the output is incomplete)\n", export.err());
    }
}
