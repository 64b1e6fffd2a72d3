package ispdb.analysis;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.model.ClvEstimate;
import ispdb.model.ModelParameter;
import ispdb.model.RfmSummary;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * predict: BG/NBD and Gamma-Gamma fitted on rfm-summary's rows (periods of a day, recency and T in weeks of
 * days / 7), and each customer's CLV over the next months as lifetimes' {@code customer_lifetime_value} computes it.
 */
public final class ClvModel {
    private static final Logger LOG = LogManager.getLogger("ispdb");
    /** lifetimes' weeks per month. */
    public static final double WEEKS_PER_MONTH = 4.345;
    /** Repeat customers (with a positive mean spend) the Gamma-Gamma fit needs at least: one per parameter. */
    public static final int MIN_REPEAT_CUSTOMERS = 3;

    public static final String STAR = "Star";
    public static final String VULNERABLE = "Vulnerable";
    public static final String FREE_RIDER = "Free Rider";
    public static final String LOST_CAUSE = "Lost Cause";

    private final List<RfmSummary> customers;
    private final PurchaseModel.Kind kind;
    private final MaximumLikelihood.Fit purchasesFit;
    private final MaximumLikelihood.Fit gammaGammaFit;
    private final PurchaseModel purchaseModel;
    private final GammaGamma gammaGamma;
    private final long notPositive;

    private ClvModel(List<RfmSummary> customers, PurchaseModel.Kind kind, MaximumLikelihood.Fit purchasesFit,
            MaximumLikelihood.Fit gammaGammaFit, long notPositive) {
        this.customers = customers;
        this.notPositive = notPositive;
        this.kind = kind;
        this.purchasesFit = purchasesFit;
        this.gammaGammaFit = gammaGammaFit;
        this.purchaseModel = kind.of(purchasesFit);
        this.gammaGamma = GammaGamma.of(gammaGammaFit);
    }

    /**
     * Reads every customer with a purchase on or before as-of's day (rfm-summary with periods of a day) and fits
     * the model of repeat purchases {@code kind} and Gamma-Gamma.
     *
     * @param asOf the end of observation; null: the latest transaction_date
     * @param kind the model of repeat purchases
     * @throws IspdbException (data rejected) without customers, with too few repeat customers, or if a fit does
     *     not converge
     */
    public static ClvModel fit(Database db, LocalDateTime asOf, PurchaseModel.Kind kind) {
        List<RfmSummary> customers = read(db, asOf);
        if (customers.isEmpty()) {
            throw IspdbException.rejected("no customer has a purchase on or before "
                    + (asOf != null ? "as-of" : "the latest transaction") + ", so there is nothing to fit; nothing "
                    + "was written");
        }
        return fit(customers, kind);
    }

    /**
     * Every customer with a purchase on or before as-of's day: rfm-summary's rows with periods of a day, recency
     * and T in weeks (days / 7), by customer_id.
     *
     * @param asOf the end of observation; null: the latest transaction_date
     */
    static List<RfmSummary> read(Database db, LocalDateTime asOf) {
        long started = System.nanoTime();
        List<RfmSummary> customers = Rfm.read(db, asOf, Rfm.Freq.D, "read the RFM summary for predict", rows -> {
            List<RfmSummary> all = new ArrayList<>();
            rows.forEachRemaining(r -> all.add(new RfmSummary(r.customerId(), r.frequency(), r.recency() / 7,
                    r.t() / 7, r.monetaryValue())));
            return all;
        });
        LOG.debug("predict: read {} customers in {}", customers.size(), seconds(started));
        return customers;
    }

    /**
     * Fits the model of repeat purchases {@code kind} and Gamma-Gamma on {@code customers} (as {@link #read} gives
     * them, at least one).
     *
     * @throws IspdbException (data rejected) with too few repeat customers, or if a fit does not converge
     */
    static ClvModel fit(List<RfmSummary> customers, PurchaseModel.Kind kind) {
        List<GammaGamma.Spend> spends = new ArrayList<>();
        long repeat = 0;
        for (RfmSummary c : customers) {
            repeat += c.frequency() > 0 ? 1 : 0;
            if (GammaGamma.describes(c.frequency(), c.monetaryValue())) {
                spends.add(new GammaGamma.Spend(c.frequency(), c.monetaryValue()));
            }
        }
        if (spends.size() < MIN_REPEAT_CUSTOMERS) {
            throw IspdbException.rejected(repeat < MIN_REPEAT_CUSTOMERS
                    ? "too few repeat customers to fit: " + repeat + " of " + customers.size() + " customers bought "
                            + "on more than one day, the Gamma-Gamma model needs at least " + MIN_REPEAT_CUSTOMERS
                            + "; nothing was written"
                    : "too few repeat customers with a positive mean spend to fit: " + repeat + " of "
                            + customers.size() + " customers bought on more than one day, but "
                            + (spends.isEmpty() ? "none" : "only " + spends.size()) + " of them spent more than 0 "
                            + "per repeat day on average (amounts of 0, or refunds that outweigh the purchases), and "
                            + "the Gamma-Gamma model of spend needs at least " + MIN_REPEAT_CUSTOMERS + "; nothing was "
                            + "written");
        }
        long notPositive = repeat - spends.size();
        long fitting = System.nanoTime();
        MaximumLikelihood.Fit purchasesFit = kind.fit(customers.stream().map(ClvModel::history).toList());
        LOG.debug("predict: fitted {} in {} ({} evaluations of the log-likelihood)", kind.title(), seconds(fitting),
                purchasesFit.evaluations());
        fitting = System.nanoTime();
        MaximumLikelihood.Fit gg = GammaGamma.fit(spends);
        LOG.debug("predict: fitted Gamma-Gamma on {} repeat customers in {} ({} evaluations)", spends.size(),
                seconds(fitting), gg.evaluations());
        if (gg.estimates()[1] <= 1) {
            throw IspdbException.rejected(String.format(Locale.ROOT, "the Gamma-Gamma fit gives q = %.4g, not above 1:"
                    + " the population's mean spend per purchase does not exist, so no CLV can be computed; nothing "
                    + "was written", gg.estimates()[1]));
        }
        return new ClvModel(customers, kind, purchasesFit, gg, notPositive);
    }

    /** The seconds since {@code started} (System.nanoTime), as the debug log shows them. */
    static String seconds(long started) {
        return String.format(Locale.ROOT, "%.3f s", (System.nanoTime() - started) / 1e9);
    }

    static PurchaseHistory history(RfmSummary c) {
        return new PurchaseHistory(c.frequency(), c.recency(), c.t());
    }

    /** Notes on fits whose likelihood has no finite maximum (their best fit is a limit); empty for most data. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (String note : new String[] {purchasesFit.note(kind.title()), gammaGammaFit.note("Gamma-Gamma")}) {
            if (note != null) {
                notes.add(note);
            }
        }
        return notes;
    }

    /**
     * Repeat customers whose mean spend per repeat day is not positive (refunds outweigh purchases, or nothing was
     * spent): the Gamma-Gamma fit leaves them out, and their expected_average_value is the population mean.
     */
    public long notPositiveSpend() {
        return notPositive;
    }

    /** The note on {@link #notPositiveSpend()} customers, or null if there are none. */
    public String spendNote() {
        return notPositive == 0 ? null : "note: " + notPositive + (notPositive == 1 ? " repeat customer's" : " repeat "
                + "customers'") + " mean spend per repeat day is not positive (refunds, or nothing spent): "
                + "Gamma-Gamma is a model of positive spend, so the fit leaves them out and their "
                + "expected_average_value is the population mean, as for customers without repeat purchases";
    }

    /** The customers fitted on, as {@link #read} gives them. */
    List<RfmSummary> customers() {
        return customers;
    }

    /** The model of repeat purchases fitted. */
    public PurchaseModel.Kind kind() {
        return kind;
    }

    /** The fitted model of repeat purchases. */
    public PurchaseModel purchaseModel() {
        return purchaseModel;
    }

    public GammaGamma gammaGamma() {
        return gammaGamma;
    }

    /** The fitted parameters: the model of repeat purchases' (BG/NBD's r, alpha, a, b), then Gamma-Gamma's p, q, v. */
    public List<ModelParameter> parameters() {
        List<ModelParameter> rows = new ArrayList<>();
        for (MaximumLikelihood.Fit fit : List.of(purchasesFit, gammaGammaFit)) {
            for (int i = 0; i < fit.names().length; i++) {
                rows.add(new ModelParameter(fit.model(), fit.names()[i], fit.estimates()[i], fit.standardErrors()[i],
                        fit.logLikelihood()));
            }
        }
        return rows;
    }

    /**
     * Every customer's estimate over the next {@code months} months of 4.345 weeks, discounted at
     * {@code discountRate} a month: clv = sum over months i of expected_average_value (E[purchases by month i] -
     * E[purchases by month i - 1]) / (1 + rate)^i. The type splits at the median clv (of an even count, the mean of
     * the two middle ones; to 1e-9 relative) and at p_alive 0.5, both "at or above" high.
     */
    public List<ClvEstimate> estimates(int months, double discountRate) {
        long started = System.nanoTime();
        int n = customers.size();
        double[] pAlive = new double[n];
        double[] purchases = new double[n];
        double[] average = new double[n];
        double[] clv = new double[n];
        double[] discount = new double[months + 1];
        double[] weeks = new double[months];
        for (int i = 1; i <= months; i++) {
            discount[i] = Math.pow(1 + discountRate, i);
            weeks[i - 1] = i * WEEKS_PER_MONTH;
        }
        for (int c = 0; c < n; c++) {
            RfmSummary s = customers.get(c);
            PurchaseHistory h = history(s);
            pAlive[c] = purchaseModel.pAlive(h);
            average[c] = gammaGamma.expectedAverageValue(s.frequency(), s.monetaryValue());
            double before = 0;
            double value = 0;
            try {
                double[] by = purchaseModel.expectedPurchases(weeks, h);
                for (int i = 1; i <= months; i++) {
                    value += average[c] * (by[i - 1] - before) / discount[i];
                    before = by[i - 1];
                }
            } catch (ArithmeticException e) {
                throw IspdbException.rejected("cannot compute the expected purchases of customer " + s.customerId()
                        + " with the fitted model (" + e.getMessage() + "); nothing was written");
            }
            purchases[c] = before;
            clv[c] = value;
        }
        double median = median(clv);
        List<ClvEstimate> rows = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            RfmSummary s = customers.get(c);
            // at or above the median, to rounding: customers with the same history get the same type
            boolean high = clv[c] >= median - 1e-9 * Math.abs(median);
            boolean alive = pAlive[c] >= 0.5;
            String type = high ? (alive ? STAR : VULNERABLE) : (alive ? FREE_RIDER : LOST_CAUSE);
            rows.add(new ClvEstimate(s.customerId(), s.frequency(), s.recency(), s.t(), s.monetaryValue(), pAlive[c],
                    purchases[c], average[c], clv[c], type));
        }
        LOG.debug("predict: computed {} customers' estimates in {}", n, seconds(started));
        return rows;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
