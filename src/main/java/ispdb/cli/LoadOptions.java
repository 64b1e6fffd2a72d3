package ispdb.cli;

import ispdb.IspdbException;
import ispdb.load.Loader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What the commands that load a file (load-csv, record-prediction --file) share: bad rows, output, repeats. */
final class LoadOptions {
    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            converter = OnErrorConverter.class, completionCandidates = OnErrorConverter.class,
            description = "fail (default): any bad row rejects the load. skip: load the good rows and write the "
                    + "bad ones to --reject-file (exit code 4 if there were any).")
    Loader.OnError onError;

    @Option(names = "--reject-file", paramLabel = "FILE",
            description = "With --on-error skip: where the bad rows go, as CSV (file,line,column,problem,row), "
                    + "each row verbatim. Readable by you only. Written only if the load commits; a link is "
                    + "followed, a device (/dev/stdout) written directly.")
    Path rejectFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary line (errors still show).")
    boolean quiet;

    @Option(names = "--again", description = "Load a predictions file even though the load journal shows it was "
            + "loaded before (every prediction in it is added again).")
    boolean again;

    /** Checks that --on-error and --reject-file go together. */
    void check() {
        if (onError == Loader.OnError.SKIP && rejectFile == null) {
            throw IspdbException.usage("--on-error skip needs --reject-file FILE to keep the rows it skips");
        }
        if (onError == Loader.OnError.FAIL && rejectFile != null) {
            throw IspdbException.usage("--reject-file goes with --on-error skip");
        }
    }

    static final class OnErrorConverter extends WordConverter<Loader.OnError> {
        OnErrorConverter() {
            super(Loader.OnError.class);
        }
    }
}
