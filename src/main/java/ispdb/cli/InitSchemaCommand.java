package ispdb.cli;

import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.db.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init-schema", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Creates the schema (dim_payment_method, dim_customer, fact_transaction, clv_prediction, "
                + "their foreign keys and indexes), or upgrades an older one. A second run changes nothing and "
                + "says so. The schema version is recorded in the database (flyway_schema_history).",
            "", "Examples:",
            "  ispdb init-schema",
            "  ispdb init-schema --url jdbc:postgresql://127.0.0.1:5432/isp --user ispdb",
            "  ispdb init-schema --dry-run --url jdbc:mariadb://127.0.0.1:3306/isp"})
final class InitSchemaCommand extends DatabaseCommand {
    @Option(names = "--dry-run", description = "Print the DDL for the database --url names; do not connect.")
    boolean dryRun;

    @Override
    int execute() {
        if (dryRun) {
            out().print(Schema.ddl(Dialect.of(url())));
            out().flush();
            return 0;
        }
        try (Database db = open(true)) {
            Schema.Outcome outcome = Schema.migrate(db);
            org.apache.logging.log4j.LogManager.getLogger("ispdb").info("schema version {} -> {}, applied: {}",
                    outcome.versionBefore(), outcome.versionAfter(), outcome.applied());
            if (!outcome.changed()) {
                out().println(db.describe() + " already has the ispdb schema (version " + outcome.versionAfter()
                        + "): nothing to do");
            } else if (outcome.versionBefore() == null) {
                out().println("created the ispdb schema (version " + outcome.versionAfter() + ") in " + db.describe());
            } else {
                out().println("upgraded " + db.describe() + " from schema version " + outcome.versionBefore() + " to "
                        + outcome.versionAfter());
            }
        }
        return 0;
    }
}
