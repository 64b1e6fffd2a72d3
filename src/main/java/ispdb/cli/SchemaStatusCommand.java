package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Schema;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "schema-status", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Shows the database's schema version and the rows in each table; with --verbose also "
            + "where each setting (url, user, password-file, busy-timeout, log-file, log-format, metrics-file) came "
            + "from.", "", "Examples:",
            "  ispdb schema-status --url jdbc:sqlite:isp.sqlite",
            "  ispdb schema-status -v --config /etc/ispdb/ispdb.properties"})
final class SchemaStatusCommand extends DatabaseCommand {
    @Override
    int execute() {
        try (Database db = open(false)) {
            Schema.Status status = Schema.status(db);
            if (status.version() == null) {
                throw IspdbException.database(db.describe() + " has " + Schema.NONE,
                        null);
            }
            out().println("database:        " + db.describe());
            out().println("schema version:  " + status.version() + " (this ispdb: " + Schema.VERSION + ")");
            ispdb.db.Shards.Layout layout = ispdb.db.Shards.layout(db);
            if (layout.sharded()) {
                out().println("layout:          sharded by customer (Spider) over " + layout.servers().size()
                        + " backends: " + String.join(", ", layout.servers()));
            }
            for (Map.Entry<String, Long> e : status.rowCounts().entrySet()) {
                out().printf("%-18s %,d rows%n", e.getKey(), e.getValue());
            }
            if (common.verbose) {
                out().println();
                out().println("where each setting came from:");
                settings.describeOrigins().forEach(line -> out().println("  " + line));
            }
        }
        return 0;
    }
}
