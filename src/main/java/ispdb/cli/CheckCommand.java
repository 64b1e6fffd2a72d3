package ispdb.cli;

import ispdb.ExitCodes;
import ispdb.db.Database;
import ispdb.report.IntegrityReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Reports what is wrong with a database, reading only: ispdb's own, the Python tool's, or one "
                + "another program left behind. One finding a line: table, key, rule, detail. The rules: "
                + "orphan-reference (a foreign key pointing at nothing), missing-required (NULL where the schema "
                + "needs a value), duplicate-key, stored-form (SQLite: a timestamp not in text "
                + "YYYY-MM-DD HH:MM:SS.ffffff, a boolean not 0 or 1), stale-derived (first_transaction_date, "
                + "last_transaction_date or survival_time disagree with the customer's transactions), "
                + "stale-summary (customers' purchase summaries, or months' revenue, that disagree with their "
                + "transactions: one finding naming them; 'refresh-customer-stats --full' makes them again) and "
                + "schema-drift (a missing or extra column, key, index, foreign key or CHECK compared with the "
                + "migrated schema, or no schema history). Exit code 0: no findings; 1: findings.",
            "", "Examples:",
            "  ispdb check",
            "  ispdb check --url jdbc:sqlite:internet_service_provider.db --format csv > findings.csv",
            "  ispdb check --url jdbc:postgresql://127.0.0.1:5432/isp --format json"})
final class CheckCommand extends DatabaseCommand {
    @Mixin
    ListingFormat listing;

    @Override
    int execute() {
        try (Database db = open(false)) {
            long findings = IntegrityReport.write(db, listing.format, out());
            return findings == 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }
}
