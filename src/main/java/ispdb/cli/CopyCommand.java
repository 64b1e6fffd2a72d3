package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.load.DatabaseCopy;
import ispdb.load.LoadResult;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

@Command(name = "copy", mixinStandardHelpOptions = true, versionProvider = Version.class,
        modelTransformer = CopyCommand.WithoutUrl.class,
        description = {"Copies every table of one ispdb database into another, in any direction between SQLite, "
                + "PostgreSQL and MariaDB/MySQL, all or nothing: every row passes load-csv's checks (a bad one "
                + "is reported as TABLE:N: column: problem, N its place in key order) and goes in by load-csv's "
                + "fast paths, in one transaction on the target.",
            "",
            "The target must be empty (it then gets the schema, as init-schema makes it) or have the current "
                + "schema and no rows; a sharded head (docs/sharding.md) must have the sharded schema that "
                + "init-schema --shards makes, and no rows. The source is read in one snapshot and is not locked "
                + "against its other users. The target's load journal records one entry per table (command copy).",
            "",
            "Examples:",
            "  ispdb copy --from jdbc:sqlite:ispdb.sqlite --to jdbc:postgresql://127.0.0.1:5432/isp",
            "  ispdb copy --from jdbc:mariadb://127.0.0.1:3306/isp --to jdbc:sqlite:copy.sqlite",
            "",
            "--user, --password-file and $ISPDB_PASSWORD apply to both databases; a URL may carry its own user. "
                + "While copying, a progress bar shows on standard error when it is a terminal (not with --quiet)."})
final class CopyCommand extends DatabaseCommand {
    @Option(names = "--from", paramLabel = "JDBC_URL", required = true,
            description = "The database to copy (it must have the current ispdb schema).")
    String from;

    @Option(names = "--to", paramLabel = "JDBC_URL", required = true,
            description = "The database to copy into: empty, or with the ispdb schema and no rows (a sharded head: "
                    + "made by init-schema --shards). A SQLite file that does not exist is created.")
    String to;

    @Mixin
    Quiet quiet;

    /** copy takes its two databases from --from and --to: it has no --url (nor reads $ISPDB_URL). */
    static final class WithoutUrl implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.remove(spec.findOption("--url"));
            return spec;
        }
    }

    @Override
    List<String> urls() {
        return Arrays.asList(from, to);
    }

    @Override
    int execute() {
        Dialect.of(from, "--from " + ispdb.db.Urls.redact(from));
        Dialect.of(to, "--to " + ispdb.db.Urls.redact(to));
        if (from.equals(to)) {
            throw IspdbException.usage("--from and --to are the same database: copy into another one");
        }
        LoadResult result;
        try (Database source = Database.open(databaseSettings(from), false);
                Database target = Database.open(databaseSettings(to), true)) {
            source.requireSchema();
            boolean created = DatabaseCopy.prepareTarget(target);
            result = DatabaseCopy.copy(source, from, target, ProgressLine.forTerminal(err(), quiet.on()), created);
        }
        loaded(result);
        if (!quiet.on()) {
            out().println(Summaries.load(result, null));
        }
        return 0;
    }

    /** The files of --from and --to (SQLite's). */
    @Override
    java.util.List<java.nio.file.Path> databaseFiles() {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
        files.add(ispdb.db.JdbcUrl.fileOf(from));
        files.add(ispdb.db.JdbcUrl.fileOf(to));
        return files;
    }
}
