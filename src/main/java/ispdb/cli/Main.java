package ispdb.cli;

import ispdb.ExitCodes;
import ispdb.Interruption;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The ispdb command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Logging.lightWhenSilent();
        int code;
        try {
            // UTF-8 whatever the locale: what ispdb prints (an export, a listing) is data that load-csv and other
            // programs read back as UTF-8; Java 17 would otherwise write '?' for every non-ASCII character under
            // LANG=C, as cron jobs often run
            PrintWriter out = utf8(new StandardOutput());
            PrintWriter err = utf8(new FileOutputStream(FileDescriptor.err));
            // SIGINT and SIGTERM: one sentence, here and in the log, exit code 130 or 143; held once the work commits
            Interruption.install(sentence -> {
                ProgressLine.erase();
                err.println("ispdb: " + sentence);
                err.flush();
                Logging.logger().warn(sentence);
            });
            Map<String, String> env = System.getenv();
            if (env.get("HOME") == null) {
                // a bare environment (env -i): the user's home is still where ~/.config/ispdb is
                env = new HashMap<>(env);
                env.put("HOME", System.getProperty("user.home"));
            }
            code = Ispdb.commandLine(out, err, env, args.length > 0 ? args[0] : null).execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("ispdb: out of memory (nothing was committed); give Java more with, for example, "
                    + "ISPDB_JAVA_OPTS=-Xmx1g (scripts/ispdb allows 128 MB)");
            code = ExitCodes.INTERNAL;
        } catch (Throwable e) {
            // an Error that got past picocli (out of memory, a missing class): one line, no stack trace
            System.err.println("ispdb: internal error: " + e + " (please report it)");
            code = ExitCodes.INTERNAL;
        }
        System.exit(code);
    }

    /**
     * Standard output, which ends the run quietly with exit code 141 when the reader has gone ({@code ispdb export |
     * head}): what SIGPIPE does to cat and the other coreutils (a shell reports 141 for them, and {@code set -o
     * pipefail} sees it), which the JVM, ignoring SIGPIPE, turns into an IOException. The shutdown hooks run.
     */
    private static final class StandardOutput extends FileOutputStream {
        StandardOutput() {
            super(FileDescriptor.out);
        }

        @Override
        public void write(int b) throws java.io.IOException {
            try {
                super.write(b);
            } catch (java.io.IOException e) {
                throw closed(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            try {
                super.write(b, off, len);
            } catch (java.io.IOException e) {
                throw closed(e);
            }
        }

        private static java.io.IOException closed(java.io.IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Broken pipe")) {
                Logging.logger().info("standard output was closed by its reader: exit code {}", ExitCodes.PIPE_CLOSED);
                System.exit(ExitCodes.PIPE_CLOSED);
            }
            return e;
        }
    }

    private static PrintWriter utf8(java.io.OutputStream stream) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)), true);
    }
}
