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

    private final Customers customers;
    private final PurchaseModel.Kind kind;
    private final MaximumLikelihood.Fit purchasesFit;
    private final MaximumLikelihood.Fit gammaGammaFit;
    private final PurchaseModel purchaseModel;
    private final GammaGamma gammaGamma;
    private final long notPositive;

    private ClvModel(Customers customers, PurchaseModel.Kind kind, MaximumLikelihood.Fit purchasesFit,
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
        Customers customers = read(db, asOf);
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
    static Customers read(Database db, LocalDateTime asOf) {
        long started = System.nanoTime();
        Customers customers = Rfm.read(db, asOf, Rfm.Freq.D, "read the RFM summary for predict", rows -> {
            Customers all = new Customers();
            rows.forEachRemaining(all::add);
            return all.trimmed();
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
    static ClvModel fit(Customers customers, PurchaseModel.Kind kind) {
        long repeat = 0;
        int described = 0;
        for (int c = 0; c < customers.size(); c++) {
            repeat += customers.frequency(c) > 0 ? 1 : 0;
            described += GammaGamma.describes(customers.frequency(c), customers.monetary[c]) ? 1 : 0;
        }
        // the repeat customers with a positive mean spend, by index: the Gamma-Gamma fit's customers
        int[] spending = new int[described];
        for (int c = 0, i = 0; c < customers.size(); c++) {
            if (GammaGamma.describes(customers.frequency(c), customers.monetary[c])) {
                spending[i++] = c;
            }
        }
        List<GammaGamma.Spend> spends = new java.util.AbstractList<>() {
            @Override
            public GammaGamma.Spend get(int i) {
                return new GammaGamma.Spend(customers.frequency(spending[i]), customers.monetary[spending[i]]);
            }

            @Override
            public int size() {
                return spending.length;
            }
        };
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
        MaximumLikelihood.Fit purchasesFit = kind.fit(customers.histories());
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

    /**
     * The customers as predict holds them: a column per field (a million customers take 28 MB), recency and T as
     * whole days where they are whole (the database's day counts), else as weeks.
     */
    /** Customers as read for a fit: rfm-summary's rows with periods of a day, held as columns. */
    public static final class Customers {
        private long[] ids = new long[1024];
        private int[] frequencies = new int[1024];
        private long[] wideFrequencies;
        private int[] recencyDays = new int[1024];
        private int[] tDays = new int[1024];
        /** recency and T in weeks, where some day count is not whole (else null). */
        private double[] recencyWeeks;
        private double[] tWeeks;
        double[] monetary = new double[1024];
        private int n;

        void add(RfmSummary r) {
            if (n == ids.length) {
                int size = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, 2L * n));
                ids = Arrays.copyOf(ids, size);
                frequencies = Arrays.copyOf(frequencies, size);
                recencyDays = Arrays.copyOf(recencyDays, size);
                tDays = Arrays.copyOf(tDays, size);
                monetary = Arrays.copyOf(monetary, size);
                wideFrequencies = wideFrequencies == null ? null : Arrays.copyOf(wideFrequencies, size);
                recencyWeeks = recencyWeeks == null ? null : Arrays.copyOf(recencyWeeks, size);
                tWeeks = tWeeks == null ? null : Arrays.copyOf(tWeeks, size);
            }
            ids[n] = r.customerId();
            if (r.frequency() != (int) r.frequency() && wideFrequencies == null) {
                wideFrequencies = new long[ids.length];
                for (int c = 0; c < n; c++) {
                    wideFrequencies[c] = frequencies[c];
                }
            }
            frequencies[n] = (int) r.frequency();
            if (wideFrequencies != null) {
                wideFrequencies[n] = r.frequency();
            }
            boolean whole = r.recency() == (int) r.recency() && r.t() == (int) r.t();
            if (!whole && recencyWeeks == null) {
                recencyWeeks = new double[ids.length];
                tWeeks = new double[ids.length];
                for (int c = 0; c < n; c++) {
                    recencyWeeks[c] = recencyDays[c] / 7.0;
                    tWeeks[c] = tDays[c] / 7.0;
                }
            }
            recencyDays[n] = (int) r.recency();
            tDays[n] = (int) r.t();
            if (recencyWeeks != null) {
                recencyWeeks[n] = r.recency() / 7;
                tWeeks[n] = r.t() / 7;
            }
            monetary[n] = r.monetaryValue();
            n++;
        }

        /** These customers, their columns no longer than needed. */
        Customers trimmed() {
            ids = Arrays.copyOf(ids, n);
            frequencies = Arrays.copyOf(frequencies, n);
            recencyDays = Arrays.copyOf(recencyDays, n);
            tDays = Arrays.copyOf(tDays, n);
            monetary = Arrays.copyOf(monetary, n);
            wideFrequencies = wideFrequencies == null ? null : Arrays.copyOf(wideFrequencies, n);
            recencyWeeks = recencyWeeks == null ? null : Arrays.copyOf(recencyWeeks, n);
            tWeeks = tWeeks == null ? null : Arrays.copyOf(tWeeks, n);
            return this;
        }

        /** How many customers. */
        public int size() {
            return n;
        }

        boolean isEmpty() {
            return n == 0;
        }

        long id(int c) {
            return ids[c];
        }

        long frequency(int c) {
            return wideFrequencies != null ? wideFrequencies[c] : frequencies[c];
        }

        /** Recency in weeks (days / 7). */
        double recency(int c) {
            return recencyWeeks != null ? recencyWeeks[c] : recencyDays[c] / 7.0;
        }

        /** T in weeks (days / 7). */
        double t(int c) {
            return tWeeks != null ? tWeeks[c] : tDays[c] / 7.0;
        }

        PurchaseHistory history(int c) {
            return new PurchaseHistory(frequency(c), recency(c), t(c));
        }

        /** The histories, made as they are read. */
        List<PurchaseHistory> histories() {
            return new java.util.AbstractList<>() {
                @Override
                public PurchaseHistory get(int c) {
                    return history(c);
                }

                @Override
                public int size() {
                    return n;
                }
            };
        }
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
    Customers customers() {
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
     * the two middle ones; to 1e-9 relative) and at p_alive 0.5, both "at or above" high. The estimates are held as
     * three numbers a customer; their rows are made as they are read.
     */
    public Estimates estimates(int months, double discountRate) {
        long started = System.nanoTime();
        int n = customers.size();
        double[] pAlive = new double[n];
        double[] purchases = new double[n];
        double[] clv = new double[n];
        double[] discount = new double[months + 1];
        double[] weeks = new double[months];
        for (int i = 1; i <= months; i++) {
            discount[i] = Math.pow(1 + discountRate, i);
            weeks[i - 1] = i * WEEKS_PER_MONTH;
        }
        for (int c = 0; c < n; c++) {
            PurchaseHistory h = customers.history(c);
            pAlive[c] = purchaseModel.pAlive(h);
            double average = gammaGamma.expectedAverageValue(h.frequency(), customers.monetary[c]);
            double before = 0;
            double value = 0;
            try {
                double[] by = purchaseModel.expectedPurchases(weeks, h);
                for (int i = 1; i <= months; i++) {
                    value += average * (by[i - 1] - before) / discount[i];
                    before = by[i - 1];
                }
            } catch (ArithmeticException e) {
                throw IspdbException.rejected("cannot compute the expected purchases of customer " + customers.id(c)
                        + " with the fitted model (" + e.getMessage() + "); nothing was written");
            }
            purchases[c] = before;
            clv[c] = value;
        }
        Estimates estimates = new Estimates(customers, gammaGamma, pAlive, purchases, clv, median(clv));
        LOG.debug("predict: computed {} customers' estimates in {}", n, seconds(started));
        return estimates;
    }

    /**
     * The customers' estimates ({@link #estimates}), in customer_id order: each row is made as it is read, so that a
     * million customers' estimates take 24 MB, not a row object each.
     */
    public static final class Estimates implements Iterable<ClvEstimate> {
        private final Customers customers;
        private final GammaGamma gammaGamma;
        private final double[] pAlive;
        private final double[] purchases;
        private final double[] clv;
        private final double median;

        private Estimates(Customers customers, GammaGamma gammaGamma, double[] pAlive, double[] purchases,
                double[] clv, double median) {
            this.customers = customers;
            this.gammaGamma = gammaGamma;
            this.pAlive = pAlive;
            this.purchases = purchases;
            this.clv = clv;
            this.median = median;
        }

        /** The customers. */
        public int size() {
            return clv.length;
        }

        /** The customer type of the {@code c}th customer. */
        private String type(int c) {
            // at or above the median, to rounding: customers with the same history get the same type
            boolean high = clv[c] >= median - 1e-9 * Math.abs(median);
            boolean alive = pAlive[c] >= 0.5;
            return high ? (alive ? STAR : VULNERABLE) : (alive ? FREE_RIDER : LOST_CAUSE);
        }

        /** The customers of each type, Star, Vulnerable, Free Rider and Lost Cause in that order. */
        public java.util.Map<String, Integer> types() {
            java.util.Map<String, Integer> types = new java.util.LinkedHashMap<>();
            for (String type : List.of(STAR, VULNERABLE, FREE_RIDER, LOST_CAUSE)) {
                types.put(type, 0);
            }
            for (int c = 0; c < clv.length; c++) {
                types.merge(type(c), 1, Integer::sum);
            }
            return types;
        }

        /** The {@code c}th customer's estimate. */
        public ClvEstimate get(int c) {
            long x = customers.frequency(c);
            double m = customers.monetary[c];
            return new ClvEstimate(customers.id(c), x, customers.recency(c), customers.t(c), m, pAlive[c],
                    purchases[c], gammaGamma.expectedAverageValue(x, m), clv[c], type(c));
        }

        @Override
        public java.util.Iterator<ClvEstimate> iterator() {
            return new java.util.Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < clv.length;
                }

                @Override
                public ClvEstimate next() {
                    if (next == clv.length) {
                        throw new java.util.NoSuchElementException();
                    }
                    return get(next++);
                }
            };
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
