package ispdb.analysis;

import java.util.List;

/**
 * The MBG/NBD model of repeat purchases (Batislam, Denizel &amp; Filiztekin 2007, "Empirical validation and
 * comparison of models for customer base analysis"; Wagner &amp; Hoppe 2008's erratum), exactly as lifetimes'
 * ModifiedBetaGeoFitter: BG/NBD's gamma(r, alpha)-mixed Poisson purchases and beta(a, b)-mixed chance of dropping
 * out, which a customer also has at the first purchase (so that customers without repeat purchases may have dropped
 * out too). Times are in weeks.
 */
public record MbgNbd(double r, double alpha, double a, double b) implements PurchaseModel {
    static final String MODEL = "mbgnbd";
    static final String[] NAMES = {"r", "alpha", "a", "b"};

    /**
     * The probability that a customer with this history is still alive (lifetimes' conditional_probability_alive):
     * 1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x)), for every x, 0 included.
     */
    @Override
    public double pAlive(PurchaseHistory h) {
        return 1 / (1 + Math.exp(logOdds(h)));
    }

    /** log(a / (b + x)) + (r + x) log((alpha + T) / (alpha + t_x)). */
    private double logOdds(PurchaseHistory h) {
        double x = h.frequency();
        return Math.log(a / (b + x)) + (r + x) * Math.log((alpha + h.t()) / (alpha + h.recency()));
    }

    /**
     * The expected purchases in the next {@code weeks[i]} weeks of a customer with this history (lifetimes'
     * conditional_expected_number_of_purchases_up_to_time): (a + b + x) / (a - 1) [1 - ((alpha + T) / (alpha + T +
     * t))^(r + x) 2F1(r + x, b + x + 1; a + b + x; z)] / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x)),
     * z = t / (alpha + T + t). As for BG/NBD, the 2F1 is taken in Euler's form, (1 - z)^(a - 1 - r - x) 2F1(a + b -
     * r, a - 1; a + b + x; z), unless a and b are huge (a limit fit), whose series then converges slower.
     */
    @Override
    public double[] expectedPurchases(double[] weeks, PurchaseHistory h) {
        double x = h.frequency();
        int m = weeks.length;
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = weeks[i] / (alpha + h.t() + weeks[i]);
        }
        double c = a + b + x;
        boolean euler = !(Math.abs((r + x) * (b + x + 1)) <= Math.abs((a + b - r) * (a - 1)));
        double[] f = euler ? Hypergeometric.f21(a + b - r, a - 1, c, z) : Hypergeometric.f21(r + x, b + x + 1, c, z);
        double odds = Math.exp(logOdds(h));
        double[] purchases = new double[m];
        for (int i = 0; i < m; i++) {
            if (weeks[i] == 0) {
                continue;
            }
            double hyp = Math.pow(1 - z[i], euler ? a - 1 : r + x) * f[i];
            purchases[i] = c / (a - 1) * (1 - hyp) / (1 + odds);
        }
        return purchases;
    }

    /**
     * The expected repeat purchases of a new customer in {@code weeks} weeks (lifetimes'
     * expected_number_of_purchases_up_to_time): b / (a - 1) [1 - (alpha / (alpha + t))^r 2F1(r, b + 1; a + b; t /
     * (alpha + t))], which is the conditional expectation for x = 0, t_x = 0, T = 0 ((a + b) / (1 + a / b) = b).
     */
    @Override
    public double expectedPurchasesUpTo(double weeks) {
        return expectedPurchases(new double[] {weeks}, new PurchaseHistory(0, 0, 0))[0];
    }

    /**
     * Fits the model by maximum likelihood (log space) on the histories: Newton's method with the analytic gradient
     * from BG/NBD's start (r 1, a 1, b 1, alpha for the mean rate of repeat purchases, mean x / mean T = r / alpha);
     * where it finds no finite maximum (such as a and b running off together: everyone drops out with the same
     * probability), Nelder-Mead goes on from the best point found, and the fit is that limit, with a note.
     */
    static MaximumLikelihood.Fit fit(List<PurchaseHistory> histories) {
        Likelihood likelihood = new Likelihood(histories);
        double x = 0;
        double t = 0;
        for (PurchaseHistory h : histories) {
            x += h.frequency();
            t += h.t();
        }
        double[] start = {1, x > 0 && t > 0 ? t / x : 1, 1, 1};
        return MaximumLikelihood.fitOrLimit(MODEL, "the MBG/NBD model", NAMES, start, likelihood);
    }

    /** The fitted model. */
    static MbgNbd of(MaximumLikelihood.Fit fit) {
        double[] p = fit.estimates();
        return new MbgNbd(p[0], p[1], p[2], p[3]);
    }

    /**
     * The log-likelihood (lifetimes' ModifiedBetaGeoFitter._negative_log_likelihood, without its division by the
     * customers) and its gradient, summed over customers with the same history at once (their weight), in a fixed
     * order (by x, t_x, T) whatever the order of the histories: log Gamma(r + x) - log Gamma(r) + r log alpha + log
     * B(a, b + x + 1) - log B(a, b) + log(e^A3 + e^A4), A3 = -(r + x) log(alpha + T), A4 = log(a / (b + x)) - (r +
     * x) log(alpha + t_x). x is whole, so the gamma and beta terms are sums over j of log(r + j) and log((b + j) /
     * (a + b + j)), kept running over the ascending x.
     */
    static final class Likelihood implements MaximumLikelihood.Differentiable {
        private final long[] xs;
        private final double[] recency;
        private final double[] t;
        private final double[] weight;

        Likelihood(List<PurchaseHistory> histories) {
            DistinctHistories distinct = new DistinctHistories(histories);
            xs = distinct.frequencies();
            recency = distinct.recencies();
            t = distinct.ts();
            weight = distinct.weights();
        }

        double of(double r, double alpha, double a, double b) {
            return at(new double[] {r, alpha, a, b}, null);
        }

        /** The log-likelihood at p = (r, alpha, a, b), and its gradient unless null. */
        @Override
        public double at(double[] p, double[] gradient) {
            double r = p[0];
            double alpha = p[1];
            double a = p[2];
            double b = p[3];
            boolean grad = gradient != null;
            double logAlpha = Math.log(alpha);
            double ll = 0;
            double dr = 0;
            double dalpha = 0;
            double da = 0;
            double db = 0;
            // running sums: over j < x for r, over j <= x for a and b
            double logR = 0;
            double invR = 0;
            double logRatio = Math.log(b / (a + b));
            double invB = 1 / b;
            double invAB = 1 / (a + b);
            long jr = 0;
            long jb = 1;
            for (int i = 0; i < weight.length; i++) {
                long x = xs[i];
                for (; jr < x; jr++) {
                    logR += Math.log(r + jr);
                    invR += 1 / (r + jr);
                }
                for (; jb <= x; jb++) {
                    logRatio += Math.log((b + jb) / (a + b + jb));
                    invB += 1 / (b + jb);
                    invAB += 1 / (a + b + jb);
                }
                double w = weight[i];
                double rx = r + x;
                double logT = Math.log(alpha + t[i]);
                double logTx = Math.log(alpha + recency[i]);
                double a3 = -rx * logT;
                double a4 = Math.log(a / (b + x)) - rx * logTx;
                double e = Math.exp(-Math.abs(a3 - a4));
                ll += w * (logR + r * logAlpha + logRatio + Math.max(a3, a4) + Math.log1p(e));
                if (grad) {
                    // the share of the dropped-out term, e^A4 / (e^A3 + e^A4)
                    double share = a4 >= a3 ? 1 / (1 + e) : e / (1 + e);
                    dr += w * (invR + logAlpha - (1 - share) * logT - share * logTx);
                    dalpha += w * (r / alpha - rx * ((1 - share) / (alpha + t[i]) + share / (alpha + recency[i])));
                    da += w * (-invAB + share / a);
                    db += w * (invB - invAB - share / (b + x));
                }
            }
            if (grad) {
                gradient[0] = dr;
                gradient[1] = dalpha;
                gradient[2] = da;
                gradient[3] = db;
            }
            return ll;
        }
    }
}
