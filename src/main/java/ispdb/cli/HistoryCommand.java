package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.report.LoadHistory;
import ispdb.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Lists the load journal, newest first: every file that load-csv or record-prediction --file "
                + "committed, with its table, size, SHA-256 (as sha256sum prints it), rows read, loaded, skipped "
                + "and rejected, start and end time (UTC), the ispdb version and the user who ran it.",
            "", "Examples:",
            "  ispdb history",
            "  ispdb history --limit 0 --format csv > loads.csv",
            "  ispdb history --format json --limit 1"})
final class HistoryCommand extends DatabaseCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N loads (default: ${DEFAULT-VALUE}; 0: all).")
    long limit;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            converter = FormatConverter.class,
            description = "table (default): aligned text for a terminal; csv and json are for programs.")
    Format format;

    @Override
    int execute() {
        if (limit < 0) {
            throw IspdbException.usage("--limit must be 0 or more");
        }
        try (Database db = open(false)) {
            db.requireSchema();
            LoadHistory.write(db, limit, format, out());
        }
        return 0;
    }
}
