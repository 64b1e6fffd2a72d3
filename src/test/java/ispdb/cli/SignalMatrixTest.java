package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.cli.Ispdb;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.LegacyDatabase;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every writing command, run as the real application in a child process, gets SIGINT, SIGTERM or SIGKILL while it
 * works: with SIGINT/SIGTERM it ends with exit code 130/143 and the one sentence (on standard error and in the log
 * file), or, if its work had committed, with exit code 0 and its summary, never both; after any signal the database
 * passes {@code check}, and a rerun (as a user would make it after a failure) lands the work exactly once.
 *
 * <p>The commands come from picocli at run time: a command that is neither in {@link #WRITING} nor in
 * {@link #READ_ONLY} fails {@link #everyCommandIsClassified}, so a command added later is not forgotten.
 *
 * <p>The moments, each found without a hook in the product and without sleeps deciding the outcome:
 * <ul>
 * <li>"mid-work" for the commands that read a file, through a FIFO the test feeds and never ends: once a blocking
 * write of the test has returned, the child has consumed all but what the pipe and its reader buffers can hold, so
 * after enough rows it is past its read-ahead and writing rows in its open transaction, on every database alike;
 * <li>"just after the commit": the child's standard output is a FIFO the test fills before the child starts, so the
 * child blocks on its summary, once its work is in the database (seen from outside); it then gets SIGINT and SIGTERM
 * and must still print the summary and exit 0;
 * <li>"connected" for the other commands, once the child has the database open (its SQLite file among its open
 * files, or a session of its own on the server), which falls anywhere from before the first statement to just after
 * the commit.
 * </ul>
 *
 * <p>Every writing command gets SIGINT and SIGKILL on each database; {@code check} and the rerun run in-process.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("ispdb.testing.TestDatabase#kinds")
class SignalMatrixTest extends DatabaseTest {
    /** The commands that write to the database (or to files), each covered below. */
    static final Set<String> WRITING = Set.of("init-schema", "load-csv", "record-prediction",
            "refresh-customer-stats", "copy", "predict", "ingest", "prune-predictions");
    /**
     * The commands that only read (export and report write a file through OutputFile, which removes it), and grant,
     * which changes no row: its GRANTs are one transaction on PostgreSQL, and on MariaDB each is whole and a rerun
     * completes a grant cut short.
     */
    static final Set<String> READ_ONLY = Set.of("list-customers", "schema-status", "rfm-summary", "survival",
            "report", "history", "export", "check", "grant", "generate-completion", "help");

    static final int CUSTOMERS = 50;
    static final int ROWS = 2000;

    /** A writing run: what to do before it, its arguments, whether its work is in, and the final state. */
    enum Case {
        INIT_SCHEMA("init-schema"),
        ADOPT("init-schema --adopt"),
        LOAD_CSV("load-csv"),
        RECORD_PREDICTION("record-prediction --customer"),
        RECORD_PREDICTIONS("record-prediction --file"),
        REFRESH_CUSTOMER_STATS("refresh-customer-stats"),
        COPY("copy"),
        PREDICT_RECORD("predict --record"),
        INGEST("ingest"),
        PRUNE_PREDICTIONS("prune-predictions");

        final String label;

        Case(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    enum Signal {
        INT, TERM, KILL
    }

    /** The commands without an input file, once connected (the others are covered through their FIFO input). */
    static Stream<Arguments> connectedCases() {
        return Stream.of(Arguments.of(Case.INIT_SCHEMA, Signal.INT), Arguments.of(Case.INIT_SCHEMA, Signal.KILL),
                Arguments.of(Case.ADOPT, Signal.INT),
                Arguments.of(Case.REFRESH_CUSTOMER_STATS, Signal.INT),
                Arguments.of(Case.REFRESH_CUSTOMER_STATS, Signal.KILL),
                Arguments.of(Case.COPY, Signal.INT), Arguments.of(Case.COPY, Signal.KILL),
                Arguments.of(Case.PREDICT_RECORD, Signal.INT), Arguments.of(Case.PREDICT_RECORD, Signal.KILL),
                Arguments.of(Case.INGEST, Signal.INT), Arguments.of(Case.INGEST, Signal.TERM),
                Arguments.of(Case.INGEST, Signal.KILL),
                Arguments.of(Case.PRUNE_PREDICTIONS, Signal.INT), Arguments.of(Case.PRUNE_PREDICTIONS, Signal.TERM),
                Arguments.of(Case.PRUNE_PREDICTIONS, Signal.KILL));
    }

    static Stream<Arguments> fifoCases() {
        return Stream.of(Arguments.of(Case.LOAD_CSV, Signal.INT), Arguments.of(Case.LOAD_CSV, Signal.TERM),
                Arguments.of(Case.LOAD_CSV, Signal.KILL),
                Arguments.of(Case.RECORD_PREDICTIONS, Signal.INT), Arguments.of(Case.RECORD_PREDICTIONS, Signal.KILL));
    }

    /** Each gets SIGINT and then SIGTERM. */
    static Stream<Arguments> afterCommitCases() {
        return Stream.of(Arguments.of(Case.LOAD_CSV), Arguments.of(Case.RECORD_PREDICTION));
    }

    /** The child JVMs only start and do a little work: the quick compiler alone spares the shared CPUs. */
    static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1");

    @BeforeEach
    void linux() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
    }

    /** Every subcommand picocli knows is classified, and every writing one has a case here. */
    @Test
    void everyCommandIsClassified() {
        Set<String> commands = new TreeSet<>(Ispdb.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Map.of()).getSubcommands().keySet());
        for (String command : commands) {
            assertTrue(WRITING.contains(command) || READ_ONLY.contains(command), () -> "the command " + command
                    + " is new: classify it in SignalMatrixTest (WRITING, with a Case, or READ_ONLY)");
        }
        // every writing command gets SIGINT and SIGKILL somewhere in the matrix
        Map<String, Set<Signal>> signals = new java.util.TreeMap<>();
        Stream.concat(connectedCases(), fifoCases()).forEach(a -> signals.computeIfAbsent(
                ((Case) a.get()[0]).label.split(" ")[0], k -> new TreeSet<>()).add((Signal) a.get()[1]));
        afterCommitCases().forEach(a -> signals.computeIfAbsent(((Case) a.get()[0]).label.split(" ")[0],
                k -> new TreeSet<>()).addAll(Set.of(Signal.INT, Signal.TERM)));
        assertEquals(new TreeSet<>(WRITING), signals.keySet(), "every writing command has a case");
        signals.forEach((command, sent) -> assertTrue(sent.containsAll(Set.of(Signal.INT, Signal.KILL)),
                () -> command + " gets SIGINT and SIGKILL: " + sent));
    }

    private Path log;
    private Path source;

    /** The state before the run, and the file it reads (if any). */
    private Path setUp(Case c) {
        log = tmp.resolve("ispdb.log");
        switch (c) {
            case INIT_SCHEMA -> {
                return null;
            }
            case ADOPT -> {
                LegacyDatabase.create(db);
                return null;
            }
            case COPY -> {
                Path from = tmp.resolve("source.sqlite");
                Cli cli = new Cli();
                String url = "jdbc:sqlite:" + from;
                assertEquals(0, cli.run(ispdb.testing.TestDatabase.initSchemaArguments(url)).exitCode());
                assertEquals(0, cli.run("load-csv", "--url", url, "--table", "customers",
                        SafetySupport.customers(tmp, "c.csv", CUSTOMERS).toString()).exitCode());
                source = from;
                return null;
            }
            default -> {
                SafetySupport.prepare(db, tmp, CUSTOMERS);
                if (c == Case.REFRESH_CUSTOMER_STATS || c == Case.PREDICT_RECORD) {
                    Cli.Run t = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions",
                            SafetySupport.transactions(tmp, "t.csv", 1, ROWS, CUSTOMERS).toString());
                    assertEquals(0, t.exitCode(), t::toString);
                }
                if (c == Case.PRUNE_PREDICTIONS) {
                    // ROWS predictions of the CUSTOMERS customers, all to go but each one's latest
                    Cli.Run p = new Cli().run("record-prediction", "--url", db.url(), "--file",
                            SafetySupport.predictions(tmp, "p.csv", ROWS, CUSTOMERS, "Star").toString());
                    assertEquals(0, p.exitCode(), p::toString);
                    return null;
                }
                if (c == Case.INGEST) {
                    // the drop folder, its one file's settle time long past (ingest runs with --settle 0)
                    Path incoming = tmp.resolve("drop").resolve("incoming");
                    try {
                        Files.createDirectories(incoming);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    SafetySupport.transactions(incoming, "transactions.csv", 1, ROWS, CUSTOMERS);
                    return null;
                }
                return switch (c) {
                    case LOAD_CSV -> SafetySupport.transactions(tmp, "transactions.csv", 1, ROWS, CUSTOMERS);
                    case RECORD_PREDICTIONS -> SafetySupport.predictions(tmp, "predictions.csv", ROWS, CUSTOMERS, "Star");
                    default -> null;
                };
            }
        }
    }

    private List<String> args(Case c, String file) {
        List<String> a = new ArrayList<>();
        switch (c) {
            case INIT_SCHEMA -> a.addAll(List.of(TestDatabase.initSchemaArguments(db.url())));
            case ADOPT -> a.addAll(List.of("init-schema", "--adopt", "--url", db.url(), "--reject-file",
                    tmp.resolve("set-aside.csv").toString()));
            case LOAD_CSV -> a.addAll(List.of("load-csv", "--url", db.url(), "--table", "transactions", file));
            case RECORD_PREDICTION -> a.addAll(List.of("record-prediction", "--url", db.url(), "--customer", "7",
                    "--clv", "123.25"));
            case RECORD_PREDICTIONS -> a.addAll(List.of("record-prediction", "--url", db.url(), "--file", file));
            case REFRESH_CUSTOMER_STATS -> a.addAll(List.of("refresh-customer-stats", "--url", db.url()));
            case COPY -> a.addAll(List.of("copy", "--from", "jdbc:sqlite:" + source, "--to", db.url()));
            case PREDICT_RECORD -> a.addAll(List.of("predict", "--record", "--url", db.url()));
            case INGEST -> a.addAll(List.of("ingest", "--url", db.url(), "--settle", "0",
                    tmp.resolve("drop").toString()));
            case PRUNE_PREDICTIONS -> a.addAll(List.of("prune-predictions", "--url", db.url(), "--keep-latest", "1"));
        }
        a.addAll(List.of("--log-file", log.toString()));
        return a;
    }

    /** Whether the run's work is in the database. */
    private boolean done(Case c) {
        return switch (c) {
            case INIT_SCHEMA, ADOPT -> hasTable("flyway_schema_history")
                    && db.count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = " + truth()) > 0;
            case LOAD_CSV, INGEST -> db.count("SELECT COUNT(*) FROM fact_transaction") > 0;
            case RECORD_PREDICTION, RECORD_PREDICTIONS, PREDICT_RECORD ->
                    db.count("SELECT COUNT(*) FROM clv_prediction") > 0;
            case REFRESH_CUSTOMER_STATS -> false; // the same result however often: always run again
            // batches committed stay: done when every customer has its latest prediction only
            case PRUNE_PREDICTIONS -> db.count("SELECT COUNT(*) FROM clv_prediction") == CUSTOMERS;
            case COPY -> hasTable("dim_customer") && db.count("SELECT COUNT(*) FROM dim_customer") > 0;
        };
    }

    private String truth() {
        return kind == TestDatabase.Kind.POSTGRESQL ? "true" : "1";
    }

    private boolean hasTable(String table) {
        if (kind == TestDatabase.Kind.SQLITE) {
            return Files.exists(Path.of(db.url().substring("jdbc:sqlite:".length())))
                    && db.count("SELECT COUNT(*) FROM sqlite_master WHERE name = '" + table + "'") > 0;
        }
        return db.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'"
                + (kind.mariadb() ? " AND table_schema = DATABASE()" : "")) > 0;
    }

    /** The work landed exactly once. */
    private void landedOnce(Case c, String output) {
        switch (c) {
            case INIT_SCHEMA -> assertEquals(migratedCatalog(), db.catalog(), output);
            case ADOPT -> assertTrue(done(c), output);
            case LOAD_CSV, INGEST -> assertEquals(ROWS, db.count("SELECT COUNT(*) FROM fact_transaction"), output);
            case RECORD_PREDICTION -> assertEquals(1, db.count("SELECT COUNT(*) FROM clv_prediction"), output);
            case RECORD_PREDICTIONS -> assertEquals(ROWS, db.count("SELECT COUNT(*) FROM clv_prediction"), output);
            case PREDICT_RECORD -> assertEquals(CUSTOMERS, db.count("SELECT COUNT(*) FROM clv_prediction"), output);
            case REFRESH_CUSTOMER_STATS -> assertEquals(CUSTOMERS,
                    db.count("SELECT COUNT(*) FROM dim_customer WHERE survival_time IS NOT NULL"), output);
            case COPY -> assertEquals(CUSTOMERS, db.count("SELECT COUNT(*) FROM dim_customer"), output);
            case PRUNE_PREDICTIONS -> {
                // each customer's latest (the file's last CUSTOMERS rows, the newest ids), and nothing else
                assertEquals(CUSTOMERS, db.count("SELECT COUNT(*) FROM clv_prediction"), output);
                assertEquals(CUSTOMERS, db.count("SELECT COUNT(DISTINCT customer_id) FROM clv_prediction WHERE "
                        + "prediction_id > (SELECT MAX(prediction_id) FROM clv_prediction) - " + CUSTOMERS), output);
            }
        }
    }

    @ParameterizedTest(name = "{0}: SIG{1} once connected")
    @MethodSource("connectedCases")
    void signalOnceConnected(Case c, Signal signal) throws Exception {
        Path file = setUp(c);
        long mark = connectionMark();
        SafetySupport.Child child = SafetySupport.start(tmp, CHILD_JVM, args(c, file == null ? null
                : file.toString()).toArray(String[]::new));
        awaitConnected(child, mark);
        String output = send(child, signal);
        afterwards(c, file, signal, child, output);
    }

    /** Rows a load reads ahead of its writing at most: its queue of 4 batches, the batch it fills, the one written. */
    static final int READ_AHEAD_ROWS = 6 * 1000;
    /** What the pipe (64 KiB) and the child's reader buffers can hold unread, generously. */
    static final long UNREAD_BYTES = 1L << 20;
    /** Rows the child has surely written (handed to the driver) when the signal comes: several batches. */
    static final int WRITTEN_ROWS = 10 * 1000;

    @ParameterizedTest(name = "{0}: SIG{1} mid-work (FIFO input)")
    @MethodSource("fifoCases")
    void signalMidWork(Case c, Signal signal) throws Exception {
        Path file = setUp(c);
        Path fifo = tmp.resolve("input.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        long journal = rows("load_journal");
        SafetySupport.Child child = SafetySupport.start(tmp, CHILD_JVM, args(c, fifo.toString()).toArray(String[]::new));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean sent = false;
        try (OutputStream w = Files.newOutputStream(fifo)) {
            // the header, then rows in chunks (blocking writes: each returns once the pipe took it all) until the
            // child has consumed, at the least, its read-ahead and several batches more; the end of the input never
            // comes while the signal is sent, so the child is writing rows in its open transaction
            w.write((lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            long written = 0;
            long consumedRows = 0;
            List<Long> rowEnds = new ArrayList<>(); // the byte offset after each chunk of 1000 rows
            StringBuilder line = new StringBuilder();
            long id = 1;
            while (consumedRows < READ_AHEAD_ROWS + WRITTEN_ROWS) {
                StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < 1000; i++, id++) {
                    chunk.append(c == Case.LOAD_CSV ? SafetySupport.transactionLine(line, id, CUSTOMERS)
                            : (id % CUSTOMERS) + "," + id + ".5,Star,true,\n");
                }
                byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                w.write(bytes);
                written += bytes.length;
                rowEnds.add(written);
                long consumed = written - UNREAD_BYTES;
                consumedRows = 1000L * rowEnds.stream().filter(end -> end <= consumed).count();
            }
            assertTrue(child.isAlive(), () -> "the child ended before the signal: " + SafetySupport.read(child.err));
            // its rows are in the database's open transaction (on a head: on the backends, in the head's XA)
            assertTrue(SafetySupport.awaitWriting(db, table(c), child, SafetySupport.CHILD_TIMEOUT_SECONDS * 1000),
                    () -> "the child is not writing in an open transaction: " + SafetySupport.read(child.err));
            sent = true;
            long signalled = System.nanoTime();
            String output = send(child, signal);
            long millis = (System.nanoTime() - signalled) / 1_000_000;
            assertFalse(child.isAlive() && signal != Signal.KILL, output);
            // at once: the run exits and leaves the rollback to the database, on a head as on one server
            assertTrue(millis < PROMPT_SECONDS * 1000, () -> "the child took " + millis + " ms to end: " + output);
            // all or nothing: the input never ended, so nothing is committed, on no backend, and the journal is as
            // it was
            assertEquals(0, rows(table(c)), output);
            assertEquals(journal, rows("load_journal"), output);
            afterwards(c, file, signal, child, output);
        } catch (IOException e) {
            if (!sent) {
                fail("the child stopped reading its input before the signal: " + SafetySupport.read(child.err), e);
            }
            if (child.isAlive()) {
                throw e;
            }
            // the child closed the FIFO on its way out
        }
    }

    /** How soon a run must end after SIGINT or SIGTERM mid-work (it ends in well under a second on every kind). */
    static final long PROMPT_SECONDS = 30;

    /** The table a FIFO case writes. */
    private static String table(Case c) {
        return c == Case.LOAD_CSV ? "fact_transaction" : "clv_prediction";
    }

    /**
     * The table's rows as the database shows them, plus, on a Spider head, those on each backend read there directly
     * (not through the head): zero only where no server holds a row.
     */
    private long rows(String table) throws java.sql.SQLException {
        long rows = db.count("SELECT COUNT(*) FROM " + table);
        if (kind == TestDatabase.Kind.SPIDER) {
            for (String backend : db.backendUrls()) {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(backend)) {
                    rows += count(c, "SELECT COUNT(*) FROM " + table);
                }
            }
        }
        return rows;
    }

    /** The pipe's capacity (Linux's default): a write of this much into an empty pipe returns, a byte more waits. */
    static final int PIPE_BYTES = 65536;

    @ParameterizedTest(name = "{0}: SIGINT and SIGTERM just after the commit")
    @MethodSource("afterCommitCases")
    void signalsJustAfterTheCommit(Case c) throws Exception {
        Path file = setUp(c);
        Path fifo = tmp.resolve("stdout.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        // the child's standard output is a full pipe: its summary, printed once the work has committed, waits there
        SafetySupport.Child child;
        java.io.InputStream stdout;
        try (java.io.RandomAccessFile hold = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            byte[] filler = new byte[PIPE_BYTES];
            java.util.Arrays.fill(filler, (byte) '\n');
            hold.write(filler);
            child = SafetySupport.startWithOutput(tmp, fifo, CHILD_JVM,
                    args(c, file == null ? null : file.toString()).toArray(String[]::new));
            stdout = new java.io.FileInputStream(fifo.toFile()); // then the child's end alone writes
        }
        java.util.concurrent.CompletableFuture<byte[]> drained;
        try {
            long end = System.nanoTime() + SafetySupport.CHILD_TIMEOUT_SECONDS * 1_000_000_000L;
            while (child.isAlive() && !done(c) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertTrue(done(c), () -> "the work never committed: " + SafetySupport.read(child.err));
            assertTrue(child.isAlive(), () -> "the child ended without waiting on its output: "
                    + SafetySupport.read(child.err));
            for (Signal signal : new Signal[] {Signal.INT, Signal.TERM}) {
                Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(child.process.pid()))
                        .start();
                assertEquals(0, kill.waitFor());
                awaitDelivered(child, signal);
            }
            // the JVM runs the handler on a thread of its own, soon after the delivery: a short pause lets it run
            // while the child still waits (were it later, the case would be weaker, never wrong)
            Thread.sleep(200);
            java.io.InputStream in = stdout;
            drained = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (in) { // read by hand: FileInputStream.readAllBytes seeks, which a FIFO refuses
                    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        bytes.write(buffer, 0, n);
                    }
                    return bytes.toByteArray();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!child.process.waitFor(SafetySupport.CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.process.destroyForcibly();
                fail("the child did not end after SIGINT and SIGTERM: " + SafetySupport.read(child.err));
            }
        } finally {
            if (child.isAlive()) {
                child.process.destroyForcibly();
            }
        }
        String all = new String(drained.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        String out = all.substring(Math.min(PIPE_BYTES, all.length()));
        String err = SafetySupport.read(child.err);
        String output = "exit " + child.process.exitValue() + "; stdout: " + out + "; stderr: " + err;
        System.out.println("SignalMatrixTest " + kind + ", " + c + " after the commit: " + output.replace('\n', ' '));
        assertEquals(0, child.process.exitValue(), output);
        assertFalse(err.contains("interrupted"), output);
        assertFalse(Files.exists(log) && Files.readString(log).contains("interrupted"), output);
        if (c == Case.LOAD_CSV) {
            assertTrue(out.matches("loaded " + ROWS + " rows into fact_transaction in [0-9.]+ s \\([0-9,]+ rows?/s\\)\n"),
                    output);
        } else {
            assertEquals(db.count("SELECT MAX(prediction_id) FROM clv_prediction") + "\n", out, output);
        }
        landedOnce(c, output);
        assertClean(c, true, output);
    }

    /** Waits until the kernel has handed the signal to the child (it is no longer pending there). */
    private static void awaitDelivered(SafetySupport.Child child, Signal signal) throws Exception {
        long bit = 1L << ((signal == Signal.INT ? 2 : 15) - 1);
        Path status = Path.of("/proc", Long.toString(child.process.pid()), "status");
        long end = System.nanoTime() + SafetySupport.CHILD_TIMEOUT_SECONDS * 1_000_000_000L;
        while (child.isAlive() && System.nanoTime() < end) {
            long pending = 0;
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
                        pending |= Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    }
                }
            } catch (IOException ended) {
                return;
            }
            if ((pending & bit) == 0) {
                return;
            }
            Thread.sleep(2);
        }
    }

    /** Sends the signal; returns a description of what the child then did. */
    private String send(SafetySupport.Child child, Signal signal) throws Exception {
        boolean running = child.isAlive();
        if (signal == Signal.KILL) {
            child.kill();
        } else {
            assertHandles(child, signal);
            Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(child.process.pid())).start();
            assertEquals(0, kill.waitFor());
        }
        if (!child.process.waitFor(SafetySupport.CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            String threads = threads(child);
            child.process.destroyForcibly();
            fail("the child did not end after SIG" + signal + "; stderr: " + SafetySupport.read(child.err)
                    + "; its threads then:\n" + threads);
        }
        return "SIG" + signal + (running ? " while running" : " after it ended") + "; exit "
                + child.process.exitValue() + "; stdout: " + SafetySupport.read(child.out) + "; stderr: "
                + SafetySupport.read(child.err);
    }

    /**
     * The child catches the signal (ispdb's handler is installed): a child that inherited SIGINT ignored (a test run
     * started in the background of a shell without job control) leaves it ignored, as a program should, and would
     * never end; that is said here, rather than taken for a command that does not end.
     */
    private static void assertHandles(SafetySupport.Child child, Signal signal) throws IOException {
        long bit = 1L << ((signal == Signal.INT ? 2 : 15) - 1);
        long caught = 0;
        long ignored = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.process.pid()), "status"))) {
                if (line.startsWith("SigCgt:")) {
                    caught = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                } else if (line.startsWith("SigIgn:")) {
                    ignored = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException ended) {
            return; // the child has ended on its own meanwhile
        }
        if (child.isAlive()) {
            assertTrue((caught & bit) != 0, (ignored & bit) != 0
                    ? "the child ignores SIG" + signal + ": it inherited it ignored from this test run (started in the"
                            + " background of a shell without job control?); run the test in the foreground"
                    : "the child has no handler of SIG" + signal);
        }
    }

    /** The child's threads (jcmd Thread.print), for a failure: where a child that does not end waits. */
    private static String threads(SafetySupport.Child child) {
        try {
            Path dump = Files.createTempFile("ispdb-child-threads-", ".txt");
            try {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(child.process.pid()), "Thread.print").redirectErrorStream(true)
                        .redirectOutput(dump.toFile()).start();
                if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                }
                return SafetySupport.read(dump);
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private void afterwards(Case c, Path file, Signal signal, SafetySupport.Child child, String output)
            throws IOException {
        int exit = child.process.exitValue();
        String err = SafetySupport.read(child.err);
        String out = SafetySupport.read(child.out);
        boolean wasDone = done(c);
        if (signal != Signal.KILL) {
            int interrupted = signal == Signal.INT ? 130 : 143;
            if (exit == interrupted) {
                assertTrue(err.matches("(?s)(.*\n)?ispdb: interrupted: [^\n]*\n"), output);
                assertEquals("", out, output);
                String sentence = err.substring(err.lastIndexOf("ispdb: ") + "ispdb: ".length()).strip();
                assertTrue(Files.readString(log).contains(sentence), () -> "the log file has the sentence: " + output);
                if (sentence.equals("interrupted: nothing was written") && c != Case.REFRESH_CUSTOMER_STATS) {
                    assertFalse(wasDone, "nothing was written, it says; " + output);
                }
            } else {
                // the work had committed: its summary, and exit code 0 (4: adopted with rows set aside)
                assertTrue(exit == 0 || c == Case.ADOPT && exit == 4, output);
                assertFalse(err.contains("interrupted"), output);
                assertFalse(out.isBlank(), output);
            }
        }
        System.out.println("SignalMatrixTest " + kind + ", " + c + ": " + output.replace('\n', ' '));
        // check is clean where there is a schema to check (an interrupted init-schema or copy leaves none, or all)
        if (hasTable("flyway_schema_history")) {
            assertClean(c, false, output);
        }
        // the rerun a user makes when the run did not (visibly) land
        if (!wasDone) {
            List<String> again = args(c, file == null ? null : file.toString());
            Cli.Run rerun = new Cli().run(again.toArray(String[]::new));
            assertTrue(rerun.exitCode() == 0 || c == Case.ADOPT && rerun.exitCode() == 4,
                    () -> rerun + "\nafter " + output);
        }
        landedOnce(c, output);
        assertClean(c, true, output);
    }

    /**
     * check finds nothing, but the customers' derived columns that a load of transactions leaves stale until
     * refresh-customer-stats (which, at the end of its own case, must leave none).
     */
    private void assertClean(Case c, boolean end, String output) {
        Cli.Run check = new Cli().run("check", "--url", db.url(), "--format", "csv");
        List<String> findings = new ArrayList<>();
        for (String line : check.out().split("\n")) {
            if (!line.isEmpty() && !line.equals("table,key,rule,detail")
                    && !(line.contains(",stale-derived,") && !(end && c == Case.REFRESH_CUSTOMER_STATS))) {
                findings.add(line);
            }
        }
        assertEquals(List.of(), findings, () -> check + "\nafter " + output);
        assertTrue(check.exitCode() == 0 || check.exitCode() == 1, () -> check + "\nafter " + output);
    }

    /** Waits until the child has the database open: its SQLite file, or a session on the server. */
    private void awaitConnected(SafetySupport.Child child, long mark) throws Exception {
        long end = System.nanoTime() + SafetySupport.CHILD_TIMEOUT_SECONDS * 1_000_000_000L;
        // one connection for every look: a connection per look would leave the earlier looks' sessions closing,
        // newer than the mark, and taken for the child's (the signal then came before the child had even begun)
        try (java.sql.Connection look = kind == TestDatabase.Kind.SQLITE ? null : db.connect()) {
            while (child.isAlive() && System.nanoTime() < end) {
                if (connected(child, mark, look)) {
                    return;
                }
                Thread.sleep(10);
            }
        }
    }

    /**
     * On a server, what tells the child's sessions from those the set-up left closing: MariaDB's connection ids only
     * grow (this one is the newest so far), PostgreSQL's sessions have their start time (now, in microseconds).
     */
    private long connectionMark() {
        return switch (kind) {
            case SQLITE -> 0;
            case POSTGRESQL -> db.count("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)");
            default -> db.count("SELECT CONNECTION_ID()");
        };
    }

    private boolean connected(SafetySupport.Child child, long mark, java.sql.Connection look)
            throws java.sql.SQLException {
        switch (kind) {
            case SQLITE -> {
                Path target = Path.of(db.url().substring("jdbc:sqlite:".length())).toAbsolutePath().normalize();
                try (var fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(child.process.pid()), "fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (Files.readSymbolicLink(fd).equals(target)) {
                                return true;
                            }
                        } catch (IOException gone) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | UncheckedIOException ended) {
                    return false;
                }
                return false;
            }
            case POSTGRESQL -> {
                return count(look, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND pid <> pg_backend_pid() AND EXTRACT(EPOCH FROM backend_start) * 1000000 > " + mark) > 0;
            }
            default -> {
                return count(look, "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() "
                        + "AND id <> CONNECTION_ID() AND id > " + mark) > 0;
            }
        }
    }

    private static long count(java.sql.Connection c, String sql) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
