package ispdb.cli;

import ispdb.ExitCodes;
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
            PrintWriter out = utf8(new FileOutputStream(FileDescriptor.out));
            PrintWriter err = utf8(new FileOutputStream(FileDescriptor.err));
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

    private static PrintWriter utf8(FileOutputStream stream) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)), true);
    }
}
