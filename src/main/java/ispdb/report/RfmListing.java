package ispdb.report;

import ispdb.analysis.Rfm;
import ispdb.db.Database;
import ispdb.model.RfmSummary;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/** rfm-summary's listing: one row per customer, as {@link Rfm#read} hands them. */
public final class RfmListing {
    private RfmListing() {
    }

    /** The listing of rows; the table shows recency and T whole for D and W, to two decimals for M. */
    static Listing<RfmSummary> listing(Rfm.Freq freq) {
        String periods = freq == Rfm.Freq.M ? "%.2f" : "%.0f";
        return new Listing<>(List.of("customer_id", "frequency", "recency", "T", "monetary_value"),
                r -> new Object[] {r.customerId(), r.frequency(), r.recency(), r.t(), r.monetaryValue()},
                new String[] {"customer_id", "frequency", "recency", "T", "monetary_value"},
                new boolean[] {true, true, true, true, true},
                r -> new String[] {Long.toString(r.customerId()), Long.toString(r.frequency()),
                    String.format(Locale.ROOT, periods, r.recency()), String.format(Locale.ROOT, periods, r.t()),
                    String.format(Locale.ROOT, "%.2f", r.monetaryValue())},
                "customer", "customers");
    }

    /**
     * Streams one row per customer with a transaction up to the end of as-of's period to {@code out}.
     *
     * @param asOf the end of observation; null: the latest transaction_date
     * @return how many customers
     */
    public static long write(Database db, LocalDateTime asOf, Rfm.Freq freq, Format format, PrintWriter out) {
        try {
            return Rfm.read(db, asOf, freq, "compute the RFM summary", rows -> listing(freq).write(rows, format, out));
        } finally {
            out.flush();
        }
    }
}
