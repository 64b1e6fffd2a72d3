package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.db.Grants;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "grant", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Grants an existing PostgreSQL or MariaDB role (or MariaDB user) the least privileges of a "
                + "reader (every command that only reads: list-customers, export, check, rfm-summary, survival, "
                + "report, history, schema-status) or of a loader (also load-csv, record-prediction, "
                + "refresh-customer-stats and prune-predictions, but no schema change: init-schema stays with the schema's owner). Run it "
                + "as that owner, after init-schema. SQLite has no roles: its file's permissions are the access "
                + "control.",
            "", "Examples:",
            "  ispdb grant --reader isp_reader --url jdbc:postgresql://db.example.com/isp",
            "  ispdb grant --loader \"'isp_loader'@'10.0.0.5'\" --url jdbc:mariadb://db.example.com/isp"})
final class GrantCommand extends DatabaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Role role;

    static final class Role {
        @Option(names = "--reader", paramLabel = "ROLE", required = true,
                description = "The role that may read ispdb's tables (SELECT), and nothing else.")
        String reader;

        @Option(names = "--loader", paramLabel = "ROLE", required = true,
                description = "The role that may read and also add and change rows (SELECT, INSERT, UPDATE; "
                        + "DELETE only of clv_prediction, for prune-predictions, and of customer_purchase_summary and "
                        + "monthly_revenue, whose rows a load makes again; never any schema change).")
        String loader;
    }

    @Override
    int execute() {
        Dialect dialect = Dialect.of(url());
        if (dialect == Dialect.SQLITE) {
            throw IspdbException.usage(Grants.NO_ROLES);
        }
        Grants.Kind kind = role.reader != null ? Grants.Kind.READER : Grants.Kind.LOADER;
        Grants.Grantee grantee = Grants.Grantee.parse(role.reader != null ? role.reader : role.loader, dialect);
        try (Database db = open(false)) {
            int statements = Grants.grant(db, kind, grantee);
            out().println("granted " + grantee + " the privileges of a " + kind + " on " + db.describe() + " ("
                    + statements + " GRANT statements)");
        }
        return 0;
    }
}
