package ispdb.report;

import static ispdb.report.Listing.finite;

import ispdb.model.ClvEstimate;
import ispdb.model.ModelParameter;
import java.util.Arrays;
import java.util.List;

/** predict's listings: the customers' estimates, or the fitted parameters (--params). */
public final class ClvListing {
    private ClvListing() {
    }

    /** predict's listing: the table rounds; CSV and JSON give full precision. */
    public static Listing<ClvEstimate> estimates() {
        List<String> names = List.of("customer_id", "frequency", "recency", "T", "monetary_value", "p_alive",
                "expected_purchases", "expected_average_value", "clv", "customer_type");
        boolean[] right = new boolean[names.size()];
        Arrays.fill(right, true);
        right[names.size() - 1] = false;
        return new Listing<>(names,
                e -> new Object[] {e.customerId(), e.frequency(), e.recency(), e.t(), e.monetaryValue(), e.pAlive(),
                    e.expectedPurchases(), e.expectedAverageValue(), e.clv(), e.customerType()},
                names.toArray(String[]::new), right,
                e -> new String[] {Long.toString(e.customerId()), Long.toString(e.frequency()),
                    finite("%.2f", e.recency()), finite("%.2f", e.t()), finite("%.2f", e.monetaryValue()),
                    finite("%.3f", e.pAlive()), finite("%.3f", e.expectedPurchases()),
                    finite("%.2f", e.expectedAverageValue()), finite("%.2f", e.clv()), e.customerType()},
                "customer", "customers");
    }

    /** predict --params' listing. */
    public static Listing<ModelParameter> parameters() {
        List<String> names = List.of("model", "parameter", "estimate", "standard_error", "log_likelihood");
        return new Listing<>(names,
                p -> new Object[] {p.model(), p.parameter(), p.estimate(), p.standardError(), p.logLikelihood()},
                names.toArray(String[]::new), new boolean[] {false, false, true, true, true},
                p -> new String[] {p.model(), p.parameter(), finite("%.4f", p.estimate()),
                    finite("%.4f", p.standardError()), finite("%.3f", p.logLikelihood())},
                null, null);
    }
}
