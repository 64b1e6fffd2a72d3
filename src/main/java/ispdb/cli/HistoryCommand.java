package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.report.LoadHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ListingFormat listing;

    @Override
    int execute() {
        if (limit < 0) {
            throw IspdbException.usage("--limit must be 0 or more");
        }
        try (Database db = open(false)) {
            db.requireSchema();
            LoadHistory.write(db, limit, listing.format, out());
        }
        return 0;
    }
}
