package ispdb.cli;

import ispdb.IspdbException;
import ispdb.analysis.CustomerStats;
import ispdb.db.Database;
import ispdb.model.Timestamps;
import java.time.LocalDateTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "refresh-customer-stats", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Recomputes every customer's first_transaction_date, last_transaction_date, survival_time "
                + "(whole days from the first to the last) and event_observed (churned: no transaction in the "
                + "last DAYS days before as-of) from its transactions up to as-of, in one transaction. "
                + "Customers without transactions are left as they are.",
            "", "Examples:",
            "  ispdb refresh-customer-stats",
            "  ispdb refresh-customer-stats --as-of 2024-01-01 --churn-after 60",
            "  ispdb refresh-customer-stats --full"})
final class RefreshCustomerStatsCommand extends DatabaseCommand {
    @Option(names = "--as-of", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "The end of observation: later transactions are left out (default: the latest "
                    + "transaction_date, so that a rerun gives the same result).")
    LocalDateTime asOf;

    @Option(names = "--churn-after", paramLabel = "DAYS", defaultValue = "90",
            description = "A customer whose last transaction is more than DAYS days before as-of churned "
                    + "(default: ${DEFAULT-VALUE}).")
    int churnAfter;

    @Option(names = "--full",
            description = "First make every customer's purchase summary (customer_purchase_summary, which the loads "
                    + "keep up to date and the stats, rfm-summary, predict and report read) and the revenue per "
                    + "month and payment method (monthly_revenue, which the loads keep and report reads) again from "
                    + "all the transactions: after check reports summaries that disagree with the transactions.")
    boolean full;

    /** The longest --churn-after: 100 years of days. */
    static final int MAX_CHURN_AFTER = 36_500;

    @Override
    int execute() {
        if (churnAfter < 0 || churnAfter > MAX_CHURN_AFTER) {
            // a bound that keeps as-of minus DAYS a real date (999999999 days gave the year -2735884)
            throw IspdbException.usage("--churn-after must be 0 or more days, and at most " + MAX_CHURN_AFTER
                    + " (100 years)");
        }
        try (Database db = open(false)) {
            db.requireSchema();
            CustomerStats.Result r = CustomerStats.refresh(db, asOf, churnAfter, full);
            if (r.asOf() == null) {
                out().println("there are no transactions: nothing to refresh (" + customers(r.customers())
                        + " left as they are)");
                return 0;
            }
            out().println("refreshed " + customers(r.withTransactions()) + " from their transactions up to "
                    + Timestamps.format(r.asOf()) + " (churned: last transaction before "
                    + Timestamps.format(r.churnedBefore()) + "): " + r.changed() + (r.changed() == 1 ? " row" : " rows")
                    + " changed; " + customers(r.withoutTransactions()) + " without transactions left as they are");
        }
        return 0;
    }

    private static String customers(long n) {
        return n + (n == 1 ? " customer" : " customers");
    }
}
