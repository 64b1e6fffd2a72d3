package ispdb.cli;

import ispdb.IspdbException;
import ispdb.analysis.KaplanMeier;
import ispdb.analysis.Survival;
import ispdb.db.Database;
import ispdb.model.SurvivalCount;
import ispdb.report.SurvivalListing;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "survival", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Prints the Kaplan-Meier estimate of customer survival from survival_time (days) and "
                + "event_observed (churned), one row per distinct time per group, as R's survival::survfit gives "
                + "it: std_err is the Greenwood standard error of the cumulative hazard, the 95%% interval is "
                + "survfit's default (log). Customers without survival_time, event_observed or a group are left "
                + "out. std_err and the interval are empty where they are undefined (survival 0).",
            "With --log-rank, prints the log-rank test across the groups instead, as R's survdiff: chi_square, "
                + "df, p_value.",
            "", "Examples:",
            "  ispdb survival",
            "  ispdb survival --by gender --format csv > km.csv",
            "  ispdb survival --by customer-type --ci log-log",
            "  ispdb survival --by gender --log-rank"})
final class SurvivalCommand extends DatabaseCommand {
    @Option(names = "--by", paramLabel = "gender|customer-type", converter = ByConverter.class,
            completionCandidates = ByConverter.class,
            description = "One curve per gender, or per customer type (the latest prediction's).")
    Survival.By by;

    @Option(names = "--ci", paramLabel = "log|log-log", defaultValue = "log", converter = IntervalConverter.class,
            completionCandidates = IntervalConverter.class,
            description = "The 95%% interval: log (default, R's survfit) or log-log (lifelines' exponential "
                    + "Greenwood interval).")
    KaplanMeier.Interval interval;

    @Option(names = "--log-rank", description = "Print the log-rank test across the groups (needs --by).")
    boolean logRank;

    @Mixin
    ListingFormat listing;

    @Override
    int execute() {
        if (logRank && by == null) {
            throw IspdbException.usage("--log-rank compares groups: give --by gender or --by customer-type");
        }
        try (Database db = open(false)) {
            db.requireSchema();
            Map<String, List<SurvivalCount>> groups = Survival.counts(db, by);
            if (logRank) {
                SurvivalListing.LOG_RANK.write(List.of(Survival.logRank(groups)).iterator(), listing.format, out());
            } else {
                SurvivalListing.CURVE.write(Survival.curves(groups, interval).iterator(), listing.format, out());
            }
        }
        return 0;
    }

    static final class ByConverter extends WordConverter<Survival.By> {
        ByConverter() {
            super(Survival.By.class);
        }
    }

    static final class IntervalConverter extends WordConverter<KaplanMeier.Interval> {
        IntervalConverter() {
            super(KaplanMeier.Interval.class);
        }
    }
}
