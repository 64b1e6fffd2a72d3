package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.model.CustomerFilter;
import ispdb.report.CustomerReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list-customers", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Lists customers, one row each, with their latest prediction (clv, customer type) if any.",
            "", "Examples:",
            "  ispdb list-customers",
            "  ispdb list-customers --churned --min-age 60 --sort clv --desc --limit 20",
            "  ispdb list-customers --type Star --format csv --limit 0 > stars.csv",
            "  ispdb list-customers --gender female --active --format json"})
final class ListCustomersCommand extends DatabaseCommand {
    @Option(names = "--gender", paramLabel = "G", description = "Only this gender (any case).")
    String gender;

    @Option(names = "--min-age", paramLabel = "N", description = "Only customers at least N years old.")
    Integer minAge;

    @Option(names = "--max-age", paramLabel = "N", description = "Only customers at most N years old.")
    Integer maxAge;

    @ArgGroup(exclusive = true)
    Churn churn;

    static final class Churn {
        @Option(names = "--churned", required = true, description = "Only customers who churned (event_observed).")
        boolean churned;

        @Option(names = "--active", required = true, description = "Only customers who did not churn.")
        boolean active;
    }

    @Option(names = "--type", paramLabel = "T", description = "Only customers whose latest predicted type is T (any case).")
    String type;

    @Option(names = "--min-clv", paramLabel = "X", description = "Only customers whose latest CLV is at least X.")
    Double minClv;

    @Option(names = "--sort", paramLabel = "id|age|clv|last-transaction", defaultValue = "id",
            converter = SortConverter.class, completionCandidates = SortConverter.class,
            description = "The order (default: id); customers without a value come last.")
    CustomerFilter.Sort sort;

    @Option(names = "--desc", description = "Largest first.")
    boolean desc;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most N customers (default: ${DEFAULT-VALUE}; 0: all).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N customers.")
    int offset;

    @Mixin
    ListingFormat listing;

    @Override
    int execute() {
        if (limit < 0 || offset < 0) {
            throw IspdbException.usage("--limit and --offset must be 0 or more");
        }
        if (minAge != null && maxAge != null && minAge > maxAge) {
            throw IspdbException.usage("--min-age " + minAge + " is more than --max-age " + maxAge);
        }
        if (minClv != null && !Double.isFinite(minClv)) {
            throw IspdbException.usage("--min-clv must be a number");
        }
        Boolean churned = churn == null ? null : churn.churned;
        CustomerFilter filter = new CustomerFilter(gender, minAge, maxAge, churned, type, minClv, sort, desc, limit,
                offset);
        try (Database db = open(false)) {
            db.requireSchema();
            CustomerReport.write(db, filter, listing.format, out());
        }
        return 0;
    }

    static final class SortConverter extends WordConverter<CustomerFilter.Sort> {
        SortConverter() {
            super(CustomerFilter.Sort.class);
        }
    }
}
