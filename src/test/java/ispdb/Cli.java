package ispdb;

import ispdb.cli.Ispdb;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs the real ispdb command line in this JVM, as a user would type it, and keeps what it printed. */
public final class Cli {
    /** What a run gave: its exit code and what it wrote to standard output and standard error. */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
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
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            int code = Ispdb.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), env).execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    public Run runWithInput(String stdin, String... args) {
        return runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }
}
