package ispdb.cli;

import ispdb.load.LoadProgress;
import ispdb.load.LoadProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress bar on standard error while loading: file, percent of its bytes read, rows, rows/s.
 * Redrawn at most five times a second, and erased at the end.
 */
final class ProgressLine implements LoadProgress {
    private final PrintWriter err;
    private long start = System.nanoTime();
    private String file;
    private long lastDraw;
    private boolean drawn;
    /** The line on the terminal now, if any: a run interrupted erases it before it says so. */
    private static volatile ProgressLine shown;

    private ProgressLine(PrintWriter err) {
        this.err = err;
    }

    /** A progress bar if standard error is a terminal and --quiet was not given, else none. */
    static LoadProgress forTerminal(PrintWriter err, boolean quiet) {
        return quiet || !stderrIsTerminal() ? LoadProgress.NONE : new ProgressLine(err);
    }

    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public void update(String file, long rows, long bytesRead, long bytes) {
        long now = System.nanoTime();
        if (!file.equals(this.file)) {
            this.file = file;
            start = now;
        }
        if (now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max((now - start) / 1e9, 1e-3);
        String name = Path.of(file).getFileName() == null ? file : Path.of(file).getFileName().toString();
        StringBuilder line = new StringBuilder("\r");
        if (bytes > 0) {
            int percent = (int) Math.min(100, bytesRead * 100 / bytes);
            int filled = percent / 5;
            line.append('[').append("#".repeat(filled)).append(" ".repeat(20 - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%% ", percent));
        }
        line.append(String.format(Locale.ROOT, "%s  %,d %s", name, rows, rows == 1 ? "row" : "rows"));
        if (seconds >= 1) {
            // a rate from the first fraction of a second (the first batch of 4,096 rows in 1 ms) says nothing
            line.append("  ").append(Summaries.rate(rows, seconds));
        }
        err.print(line.append("\u001b[K"));
        err.flush();
        drawn = true;
        shown = this;
    }

    @Override
    public void done() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
        shown = null;
    }

    /** Erases the progress line on the terminal, if one is shown. */
    static void erase() {
        ProgressLine line = shown;
        if (line != null) {
            line.done();
        }
    }
}
