package ispdb.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import ispdb.cli.Ispdb;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real ispdb command line in this JVM, as a user would type it, and keeps what it printed. A {@link Run}
 * is also what a child process gives ({@link SafetySupport}) and what an installed program gives (the packaging
 * tests).
 */
public final class Cli {
    /** What a run gave: its exit code and what it wrote to standard output and standard error. */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    private static PrintStream logLines;
    private static Path logLinesFile;

    /** Errors are sentences: neither output of a run shows a stack trace or an exception's name. */
    public static void assertNoStackTrace(Run run) {
        for (String output : new String[] {run.out(), run.err()}) {
            assertFalse(output.contains("\tat ") || output.contains("Exception"), () -> "a stack trace: " + run);
        }
    }

    private final Map<String, String> env = new HashMap<>();

    /** Sets an environment variable the command line sees (ISPDB_URL, ISPDB_PASSWORD, ...). */
    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Run run(String... args) {
        return runWithInput((byte[]) null, args);
    }

    /** Runs with {@code stdin} as standard input (for FILE {@code -}). */
    public Run runWithInput(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream saved = System.in;
        PrintStream savedErr = System.err;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            System.setErr(logLines());
            int code = Ispdb.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), env).execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
            System.setErr(savedErr);
        }
    }

    /**
     * Where a run's log lines go: ispdb writes its own messages to the {@code err} writer the test reads, but the
     * log of --verbose (ispdb's, HikariCP's, Flyway's, the drivers' lines, ERRORs of failing connections included)
     * goes to the process's standard error, which in a test is the console of the whole run. Logging sets up its
     * console appender on the standard error of the moment, so during a run that is this file,
     * {@code target/test-logs/log-lines-N.log} (N: the surefire fork, as the tests run in two JVMs at once), appended
     * to by every run of the test JVM.
     */
    public static synchronized PrintStream logLines() {
        if (logLines == null) {
            try {
                Path folder;
                try {
                    // target/test-classes -> target/test-logs, wherever the test run's working folder is
                    folder = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                            .resolveSibling("test-logs");
                } catch (URISyntaxException | RuntimeException e) {
                    folder = Path.of(System.getProperty("java.io.tmpdir"), "ispdb-test-logs");
                }
                Files.createDirectories(folder);
                logLinesFile = folder.resolve("log-lines-" + System.getProperty("ispdb.test.fork", "1") + ".log");
                logLines = new PrintStream(Files.newOutputStream(logLinesFile,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return logLines;
    }

    /** The file {@link #logLines()} writes, flushed. */
    public static synchronized Path logLinesFile() {
        logLines().flush();
        return logLinesFile;
    }

    public Run runWithInput(String stdin, String... args) {
        return runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }
}
