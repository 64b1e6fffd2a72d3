package ispdb.cli;

import ispdb.Interruption;
import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.db.Integrity;
import ispdb.db.Schema;
import ispdb.db.Shards;
import ispdb.load.Adoption;
import ispdb.model.Column;
import ispdb.model.Finding;
import ispdb.model.Table;
import ispdb.model.Timestamps;
import ispdb.report.Format;
import ispdb.report.IntegrityReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init-schema", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Creates the schema (dim_payment_method, dim_customer, fact_transaction, clv_prediction, "
                + "their foreign keys and indexes), or upgrades an older one. A second run changes nothing and "
                + "says so. The schema version is recorded in the database (flyway_schema_history).",
            "With --adopt it takes over a database that has the four tables but no ispdb schema history (the "
                + "Python tool's), upgrading it in place, all or nothing, every row kept as it is. Rows that break "
                + "the schema (orphans, missing required values, values outside load-csv's domain rules) stop it "
                + "(exit code 1, the check report printed, "
                + "nothing changed) unless --reject-file F: then they go to F (load-csv's reject format) and the "
                + "exit code is 4. Predictions without predicted_at get the time of adoption (UTC).",
            "", "Examples:",
            "  ispdb init-schema",
            "  ispdb init-schema --url jdbc:postgresql://127.0.0.1:5432/isp --user ispdb",
            "  ispdb init-schema --dry-run --url jdbc:mariadb://127.0.0.1:3306/isp",
            "  ispdb init-schema --adopt --url jdbc:sqlite:internet_service_provider.db --reject-file rejects.csv"})
final class InitSchemaCommand extends DatabaseCommand {
    @Option(names = "--dry-run", description = "Print the DDL for the database --url names; do not connect.")
    boolean dryRun;

    @Option(names = "--adopt", description = "Take over a database with the four tables and no ispdb schema "
            + "history (the Python tool's), upgrading it in place.")
    boolean adopt;

    @Option(names = "--shards", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "On a MariaDB head with the "
            + "Spider engine: make the sharded schema, the rows partitioned by customer over these backends (each "
            + "reached with the head's user and password, a database of the head's name on each); see "
            + "docs/sharding.md.")
    String shards;

    @Option(names = "--reject-file", paramLabel = "F", description = "With --adopt: write the rows that break the "
            + "schema to F (CSV: file,line,column,problem,row) instead of stopping.")
    Path rejectFile;

    @Override
    int execute() {
        if (rejectFile != null && !adopt) {
            throw IspdbException.usage("--reject-file goes with --adopt (load-csv takes its own --reject-file)");
        }
        if (shards != null && (adopt || dryRun)) {
            throw IspdbException.usage("--shards does not go with " + (adopt ? "--adopt" : "--dry-run")
                    + ": it makes a new sharded schema (docs/sharding.md)");
        }
        if (dryRun) {
            if (adopt) {
                throw IspdbException.usage("--dry-run and --adopt do not go together: 'ispdb check' shows what "
                        + "--adopt would set aside");
            }
            out().print(Schema.ddl(Dialect.of(url())));
            out().flush();
            return 0;
        }
        if (adopt) {
            checkOutput("--reject-file", rejectFile, ispdb.files.OutputFile.Kind.REJECTS);
            return adopt();
        }
        if (shards != null) {
            Shards.requireHeadUrl(url()); // before the database is opened: a SQLite URL would get its file
        }
        List<Shards.Backend> backends = shards == null ? null : Shards.parse(shards);
        try (Database db = open(true)) {
            if (backends == null) {
                migrate(db, () -> Schema.migrate(db));
            } else {
                migrate(db, () -> Shards.create(db, backends));
                out().println("sharded over " + backends.size() + " backends: " + backends.stream()
                        .map(Shards.Backend::toString).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        return 0;
    }

    private void migrate(Database db) {
        migrate(db, () -> Schema.migrate(db));
    }

    private void migrate(Database db, java.util.function.Supplier<Schema.Outcome> migration) {
        Schema.Outcome[] migrated = new Schema.Outcome[1];
        // the migrations commit one by one (MariaDB's DDL each by itself): a signal waits for all of them
        Interruption.commit(() -> migrated[0] = migration.get());
        Schema.Outcome outcome = migrated[0];
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

    private int adopt() {
        try (Database db = open(false)) {
            Integer version = Schema.historyVersion(db);
            if (version != null) {
                out().println(db.describe() + " already has the ispdb schema history (version " + version
                        + "): nothing to adopt" + (version < Schema.VERSION ? "; upgrade it with 'ispdb init-schema'"
                                : ""));
                return 0;
            }
            if (Schema.unfinished(db)) {
                migrate(db); // an interrupted init-schema's tables, not another tool's: finished, nothing to adopt
                return 0;
            }
            if (Shards.layout(db).spider()) {
                throw IspdbException.database(db.describe() + " is a Spider head (its tables are Spider tables over"
                        + " backends): --adopt would turn them into local tables, so nothing was changed; make the"
                        + " sharded schema with 'ispdb init-schema --shards' in a new database and copy the rows"
                        + " (docs/sharding.md)", null);
            }
            boolean hasPredictedAt = requireAdoptable(db);
            List<Finding> drift = Integrity.schemaDrift(db);
            if (drift.size() == 1 && hasPredictedAt) {
                // the tables are the current schema's already (an adoption stopped before its history was written)
                Interruption.commit(() -> Schema.recordAdopted(db));
                out().println("recorded the schema history (version " + Schema.VERSION + ") of " + db.describe()
                        + ", whose tables are the current schema's");
                return 0;
            }
            Adoption.Outcome outcome;
            try {
                outcome = Adoption.adopt(db, rejectFile, hasPredictedAt);
            } catch (Adoption.NeedsRejectFile e) {
                IntegrityReport.write(db, Format.TABLE, out());
                throw e;
            }
            out().println("adopted " + db.describe() + ": schema version " + Schema.VERSION);
            for (Map.Entry<String, long[]> e : outcome.rows().entrySet()) {
                long[] r = e.getValue();
                out().printf("  %-19s %,d rows: %,d kept%s%n", e.getKey(), r[2], r[0],
                        r[1] == 0 ? "" : ", " + String.format("%,d", r[1]) + " set aside in " + rejectFile);
            }
            if (outcome.withoutPredictedAt() > 0) {
                out().println("  " + outcome.withoutPredictedAt() + " prediction" + (outcome.withoutPredictedAt() == 1
                        ? " had" : "s had") + " no predicted_at: set to " + Timestamps.format(outcome.predictedAt())
                        + " (the time of adoption, UTC)");
            }
            return outcome.rejected() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }

    /**
     * The four tables are there with the current schema's columns and no others (clv_prediction may lack
     * predicted_at); returns whether it has it. Otherwise says what is wrong (exit code 3): adopting would lose a
     * column, or has nothing to copy a required one from.
     */
    private static boolean requireAdoptable(Database db) {
        Map<String, Set<String>> columns = Integrity.columns(db);
        for (Table t : Table.values()) {
            Set<String> have = columns.get(t.tableName());
            if (have == null) {
                throw IspdbException.database(db.describe() + " has no table " + t.tableName() + ": --adopt takes "
                        + "over a database with the four tables (dim_payment_method, dim_customer, fact_transaction, "
                        + "clv_prediction); create a new one with 'ispdb init-schema'", null);
            }
            List<String> want = t.columns().stream().map(Column::name).toList();
            for (String c : have) {
                if (!want.contains(c)) {
                    throw IspdbException.database(t.tableName() + " has a column " + c + " that the ispdb schema has "
                            + "not: adopting " + db.describe() + " would lose it, so nothing was changed", null);
                }
            }
            for (String c : want) {
                if (!have.contains(c) && !(t == Table.PREDICTION && c.equals("predicted_at"))) {
                    throw IspdbException.database(t.tableName() + " has no column " + c + ", which the ispdb schema "
                            + "needs: --adopt cannot take over " + db.describe(), null);
                }
            }
        }
        return columns.get(Table.PREDICTION.tableName()).contains("predicted_at");
    }
}
