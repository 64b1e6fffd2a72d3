package ispdb.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the repository's server scripts (scripts/spider, scripts/galera, scripts/pg-standby) for the tests. */
public final class Scripts {
    private Scripts() {
    }

    /**
     * Runs {@code SCRIPT ARGS} (start DIR, stop DIR, kill DIR 2, ...) with no input, and returns what it printed;
     * an exit code other than 0, or no end within {@code seconds}, is an IllegalStateException with its output.
     */
    public static String run(Path script, int seconds, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("ispdb-script-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command + " did not end within " + seconds + " s:\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(command + " failed (exit " + p.exitValue() + "):\n" + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
