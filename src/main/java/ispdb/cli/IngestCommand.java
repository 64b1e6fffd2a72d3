package ispdb.cli;

import ispdb.db.Database;
import ispdb.load.DropFolder;
import ispdb.load.LoadOptions;
import ispdb.load.OnError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Loads every complete CSV file dropped in DIR/incoming/, oldest first, each on its own and all "
                + "or nothing, and moves it to DIR/done/YYYY-MM-DD/ (the UTC date of the load) or, rejected, to "
                + "DIR/failed/ beside NAME.reason, the error sentence. For a timer or cron job: see docs/ingest.md.",
            "",
            "Each file is named after its table or alias, as load-csv --dir names them, and may go on after it: "
                + "customers.csv, dim_customer.csv.gz, transactions-2026-12-06.csv; a file named otherwise goes to "
                + "the table whose columns its header names. Gzip files are read as they are. "
                + "Left for a later run: names ending in .part or .tmp or starting with '.', and a file modified "
                + "less than --settle seconds ago or changed while ingest looked at it.",
            "",
            "Examples:",
            "  ispdb ingest /var/lib/ispdb/drop",
            "  ispdb ingest drop --settle 0 --mode upsert",
            "  ispdb ingest drop --on-error skip --delimiter ';' --encoding windows-1252",
            "",
            "A predictions file whose content was loaded before is refused by the load journal and goes to "
                + "failed/. Two runs on one DIR never load the same file: a run holds DIR/.ispdb-ingest.lock, and "
                + "a second run says so and ends at once, exit code 0. If the database fails (exit code 3), the "
                + "file stays in incoming/ and the run ends. Exit code 0: every file loaded (or none was waiting); "
                + "4: some files failed; 1: every file failed."})
final class IngestCommand extends DatabaseCommand {
    @Parameters(index = "0", paramLabel = "DIR",
            description = "The drop folder: its incoming/ holds the files to load (created if missing); done/ and "
                    + "failed/ are made as needed.")
    Path dir;

    @Mixin
    CsvFlags csv;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            converter = LoadFlags.OnErrorConverter.class, completionCandidates = LoadFlags.OnErrorConverter.class,
            description = "fail (default): any bad row rejects the file, which goes to failed/. skip: the good rows "
                    + "load and the file goes to done/; the bad rows go to failed/NAME.rejects.csv, with "
                    + "NAME.reason beside it (exit code 4).")
    OnError onError;

    @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "10",
            description = "Leave a file modified less than this many seconds ago for a later run (default: 10).")
    long settle;

    @Mixin
    Quiet quiet;

    @Override
    int execute() {
        if (settle < 0) {
            throw ispdb.IspdbException.usage("--settle must be 0 or more seconds, not " + settle);
        }
        LoadOptions.Builder options = csv.applyTo(LoadOptions.of(spec.name()))
                .progress(ProgressLine.forTerminal(err(), quiet.on()));
        DropFolder.Run run;
        try (Database db = open(false)) {
            db.requireSchema();
            run = DropFolder.ingest(db, dir, options, onError, Duration.ofSeconds(settle), this::tell);
        }
        if (run.busy()) {
            if (!quiet.on()) {
                err().println("ispdb: another ingest holds " + dir + " (" + DropFolder.LOCK + "): it loads the "
                        + "files; this run did nothing");
            }
            return ispdb.ExitCodes.OK;
        }
        return run.exitCode();
    }

    /**
     * One line per file: what loaded, on standard output; what failed, on standard error (also with --quiet). A load's
     * counts go into the run's metrics (--metrics-file).
     */
    private void tell(DropFolder.Outcome o) {
        if (o.result() != null) {
            loaded(o.result());
        }
        if (!o.loaded()) {
            err().println("ispdb: " + o.name() + ": moved to " + o.movedTo() + ": " + o.reason());
        } else if (!quiet.on() || o.rejects() != null) {
            (o.rejects() == null ? out() : err()).println(o.name() + ": " + Summaries.load(o.result(), o.rejects())
                    + (o.movedTo() == null ? "; it could not be moved out of incoming/ (see the log)"
                            : "; moved to " + o.movedTo()));
        }
        out().flush();
        err().flush();
    }

    /** The settings and password files, and the drop folder. */
    @Override
    List<Path> inputs() {
        List<Path> inputs = super.inputs();
        inputs.add(dir);
        return inputs;
    }
}
