package ispdb.report;

import ispdb.model.LogRankTest;
import ispdb.model.SurvivalPoint;
import java.util.List;
import java.util.Locale;

/** survival's listings: the Kaplan-Meier curves, or the log-rank test. */
public final class SurvivalListing {
    public static final Listing<SurvivalPoint> CURVE = new Listing<>(
            List.of("group", "time", "at_risk", "events", "censored", "survival", "std_err", "lower_95", "upper_95"),
            p -> new Object[] {p.group(), p.time(), p.atRisk(), p.events(), p.censored(), p.survival(), p.stdErr(),
                p.lower95(), p.upper95()},
            new String[] {"group", "time", "at_risk", "events", "censored", "survival", "std_err", "lower_95",
                "upper_95"},
            new boolean[] {false, true, true, true, true, true, true, true, true},
            p -> new String[] {p.group(), Long.toString(p.time()), Long.toString(p.atRisk()),
                Long.toString(p.events()), Long.toString(p.censored()), fixed(p.survival()), fixed(p.stdErr()),
                fixed(p.lower95()), fixed(p.upper95())},
            "row", "rows");

    public static final Listing<LogRankTest> LOG_RANK = new Listing<>(List.of("chi_square", "df", "p_value"),
            t -> new Object[] {t.chiSquare(), t.df(), t.pValue()},
            new String[] {"chi_square", "df", "p_value"}, new boolean[] {true, true, true},
            t -> new String[] {fixed(t.chiSquare()), Integer.toString(t.df()),
                Double.isNaN(t.pValue()) ? "" : String.format(Locale.ROOT, "%.6g", t.pValue())},
            null, null);

    private SurvivalListing() {
    }

    private static String fixed(double x) {
        return Listing.finite("%.6f", x);
    }
}
