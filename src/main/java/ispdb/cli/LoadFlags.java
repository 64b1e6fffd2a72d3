package ispdb.cli;

import ispdb.IspdbException;
import ispdb.load.LoadOptions;
import ispdb.load.OnError;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the commands that load a file (load-csv, record-prediction --file) share: bad rows, output, repeats. */
final class LoadFlags {
    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            converter = OnErrorConverter.class, completionCandidates = OnErrorConverter.class,
            description = "fail (default): any bad row rejects the load. skip: load the good rows and write the "
                    + "bad ones to --reject-file (exit code 4 if there were any).")
    OnError onError;

    @Option(names = "--reject-file", paramLabel = "FILE",
            description = "With --on-error skip: where the bad rows go, as CSV (file,line,column,problem,row), "
                    + "each row verbatim. Readable by you only. Written only if the load commits; a link is "
                    + "followed, a device (/dev/stdout) written directly.")
    Path rejectFile;

    @Mixin
    Quiet quiet;

    @Option(names = "--again", description = "Load a predictions file even though the load journal shows it was "
            + "loaded before (every prediction in it is added again).")
    boolean again;

    /** Checks that --on-error and --reject-file go together. */
    void check() {
        if (onError == OnError.SKIP && rejectFile == null) {
            throw IspdbException.usage("--on-error skip needs --reject-file FILE to keep the rows it skips");
        }
        if (onError == OnError.FAIL && rejectFile != null) {
            throw IspdbException.usage("--reject-file goes with --on-error skip");
        }
    }

    /** A load by {@code command} as these flags say (bad rows, progress bar on {@code err}, repeats). */
    LoadOptions.Builder options(String command, PrintWriter err) {
        return LoadOptions.of(command).onError(onError, rejectFile)
                .progress(ProgressLine.forTerminal(err, quiet.on())).again(again);
    }

    static final class OnErrorConverter extends WordConverter<OnError> {
        OnErrorConverter() {
            super(OnError.class);
        }
    }
}
