package ispdb.cli;

import picocli.CommandLine.Option;

/** --quiet, for the commands that show a progress bar and print a summary line (load-csv, record-prediction, copy). */
final class Quiet {
    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary line (errors still show).")
    private boolean quiet;

    /** Whether --quiet was given. */
    boolean on() {
        return quiet;
    }
}
