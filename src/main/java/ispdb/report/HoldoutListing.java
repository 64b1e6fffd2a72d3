package ispdb.report;

import static ispdb.report.Listing.finite;

import ispdb.analysis.HoldoutCheck;
import ispdb.model.HoldoutRow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * predict --holdout-from's output. CSV and JSON: one listing of {@link HoldoutRow}s, the sections one after another
 * (frequency, total, tracking) with a {@code section} column. The table: a title line, then the three sections as
 * tables of their own.
 */
public final class HoldoutListing {
    /** The CSV and JSON columns. */
    static final List<String> COLUMNS = List.of("section", "key", "date", "customers", "actual", "expected", "mae",
            "rmse", "holdout");

    private HoldoutListing() {
    }

    /** Every row in one shape, for CSV and JSON. */
    static Listing<HoldoutRow> rows() {
        String[] headings = COLUMNS.toArray(String[]::new);
        boolean[] right = {false, false, false, true, true, true, true, true, false};
        return new Listing<>(COLUMNS,
                r -> new Object[] {r.section(), r.key(), r.date(), r.customers(), r.actual(), r.expected(), r.mae(),
                    r.rmse(), r.holdout()},
                headings, right,
                r -> new String[] {r.section(), r.key(), Listing.text(r.date()), Listing.text(r.customers()),
                    number("%.4f", r.actual()), number("%.4f", r.expected()), number("%.4f", r.mae()),
                    number("%.4f", r.rmse()), Listing.text(r.holdout())},
                null, null);
    }

    static Listing<HoldoutRow> byFrequency() {
        return new Listing<>(COLUMNS, null,
                new String[] {"frequency", "customers", "actual_mean", "expected_mean"},
                new boolean[] {true, true, true, true},
                r -> new String[] {r.key(), Listing.text(r.customers()), number("%.3f", r.actual()),
                    number("%.3f", r.expected())},
                null, null);
    }

    static Listing<HoldoutRow> totals() {
        return new Listing<>(COLUMNS, null,
                new String[] {"measure", "customers", "actual", "expected", "mae", "rmse"},
                new boolean[] {false, true, true, true, true, true},
                r -> new String[] {r.key(), Listing.text(r.customers()), number("%.2f", r.actual()),
                    number("%.2f", r.expected()), number("%.4f", r.mae()), number("%.4f", r.rmse())},
                null, null);
    }

    static Listing<HoldoutRow> tracking() {
        return new Listing<>(COLUMNS, null,
                new String[] {"week", "ends", "customers", "actual", "expected", "period"},
                new boolean[] {true, false, true, true, true, false},
                r -> new String[] {r.key(), r.date(), Listing.text(r.customers()), number("%.0f", r.actual()),
                    number("%.1f", r.expected()), Boolean.TRUE.equals(r.holdout()) ? "holdout" : "calibration"},
                null, null);
    }

    /** Writes the check in {@code format}. */
    public static void write(HoldoutCheck.Data data, HoldoutCheck.Result result, Format format, PrintWriter out) {
        try {
            if (format != Format.TABLE) {
                rows().write(result.rows().iterator(), format, out);
                return;
            }
            out.println(String.format(Locale.ROOT, "Holdout check of %s + Gamma-Gamma: fitted on %d customers' "
                    + "purchases to %s, compared with %s to %s (%.2f weeks)", result.kind().title(),
                    data.calibration().size(), data.calibrationEnd(), data.calibrationEnd().plusDays(1), data.asOf(),
                    data.holdoutWeeks()));
            out.println();
            out.println("Repeat purchases in the holdout per customer, by calibration frequency:");
            byFrequency().write(result.byFrequency().iterator(), format, out);
            out.println();
            out.println("Totals over the calibration customers (mae, rmse: per customer):");
            totals().write(result.totals().iterator(), format, out);
            out.println();
            out.println(String.format(Locale.ROOT, "Tracking: cumulative repeat purchases by week since %s, "
                    + "the holdout from week %.2f:", data.firstDay(), data.holdoutStartWeek()));
            tracking().write(result.tracking().iterator(), format, out);
        } finally {
            out.flush();
        }
    }

    /** --model best's comparison, a few lines: each model's holdout MAE and RMSE of purchases, or why it has none. */
    public static void writeComparison(HoldoutCheck.Data data, List<HoldoutCheck.Candidate> candidates,
            HoldoutCheck.Candidate chosen, PrintWriter err) {
        err.println("ispdb: --model best: holdout MAE of repeat purchases per customer (fitted to "
                + data.calibrationEnd() + ", holdout to " + data.asOf() + "):");
        for (HoldoutCheck.Candidate c : candidates) {
            String what = c.result() == null ? c.problem()
                    : String.format(Locale.ROOT, "MAE %.6f  RMSE %.6f", c.result().purchasesMae(),
                            c.result().purchasesRmse()) + (c == chosen ? "  <- chosen" : "");
            err.println(String.format(Locale.ROOT, "  %-11s %s", c.kind().option(), what));
        }
        err.flush();
    }

    private static String number(String format, Double value) {
        return value == null ? "" : finite(format, value);
    }
}
