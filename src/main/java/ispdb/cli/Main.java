package ispdb.cli;

import ispdb.ExitCodes;
import java.io.PrintWriter;
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
            PrintWriter out = new PrintWriter(System.out, true);
            PrintWriter err = new PrintWriter(System.err, true);
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
}
