package ispdb.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.special.Beta;
import org.hipparchus.special.Gamma;

/**
 * The BG/NBD model of repeat purchases (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"):
 * purchases at a gamma(r, alpha)-mixed Poisson rate while alive, and after each purchase a beta(a, b)-mixed chance
 * of dropping out. Times are in weeks.
 */
public record BgNbd(double r, double alpha, double a, double b) {
    static final String MODEL = "bgnbd";
    static final String[] NAMES = {"r", "alpha", "a", "b"};

    /** A customer's history: repeat purchase days (x), weeks from the first purchase to the last and to as-of. */
    public record History(long frequency, double recency, double t) {
    }

    /**
     * The probability that a customer with this history is still alive (Hardie's note 021): 1 without repeat
     * purchases, else 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).
     */
    public double pAlive(History h) {
        if (h.frequency() == 0) {
            return 1;
        }
        return 1 / (1 + Math.exp(logOdds(h)));
    }

    /** log(a / (b + x - 1)) + (r + x) log((alpha + T) / (alpha + t_x)), for x > 0. */
    private double logOdds(History h) {
        double x = h.frequency();
        return Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + h.t()) / (alpha + h.recency()));
    }

    /**
     * The expected purchases in the next {@code weeks} of a customer with this history (the paper's equation 10):
     * (a + b + x - 1) / (a - 1) [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; z)]
     * / [1 + (x > 0) a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)], z = t / (alpha + T + t). The 2F1
     * is taken in Euler's form, 2F1(A, B; C; z) = (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z), whose series
     * converges fast for any x (C - A = a + b - 1 - r and C - B = a - 1 do not grow with x); the power of (1 - z)
     * then combines with the one before it into (1 - z)^(a - 1). Where A B is the smaller product (a and b huge,
     * the limit of a fit without a finite maximum) the plain series is summed instead.
     */
    public double expectedPurchases(double weeks, History h) {
        if (weeks == 0) {
            return 0;
        }
        double x = h.frequency();
        double z = weeks / (alpha + h.t() + weeks);
        double c = a + b + x - 1;
        // the form whose series converges faster: Euler's, unless a and b are huge (a limit fit)
        double hyp = Math.abs((r + x) * (b + x)) <= Math.abs((a + b - 1 - r) * (a - 1))
                ? Math.pow(1 - z, r + x) * Hypergeometric.f21(r + x, b + x, c, z)
                : Math.pow(1 - z, a - 1) * Hypergeometric.f21(a + b - 1 - r, a - 1, c, z);
        double numerator = c / (a - 1) * (1 - hyp);
        return h.frequency() == 0 ? numerator : numerator / (1 + Math.exp(logOdds(h)));
    }

    /** Fits the model by maximum likelihood (log space) on the histories; recency and T are whole days / 7. */
    static MaximumLikelihood.Fit fit(List<History> histories) {
        Likelihood likelihood = new Likelihood(histories);
        // the start: r 1, a 1, b 1, and alpha for the mean rate of repeat purchases, mean x / mean T = r / alpha
        double x = 0;
        double t = 0;
        for (History h : histories) {
            x += h.frequency();
            t += h.t();
        }
        double alpha = x > 0 && t > 0 ? t / x : 1;
        return MaximumLikelihood.fit(MODEL, "the BG/NBD model", NAMES, new double[] {1, alpha, 1, 1},
                p -> likelihood.of(p[0], p[1], p[2], p[3]));
    }

    static BgNbd of(MaximumLikelihood.Fit fit) {
        double[] p = fit.estimates();
        return new BgNbd(p[0], p[1], p[2], p[3]);
    }

    /**
     * The log-likelihood (Hardie's note 004), summed over customers with the same history at once (their weight),
     * its terms in x computed once per distinct x and the logs of alpha + days / 7 once per distinct day count.
     */
    static final class Likelihood {
        private final long[] xs;          // the distinct frequencies
        private final double[] xWeight;   // customers per distinct frequency
        private final int[] xIndex;       // per distinct history: the index of its x in xs
        private final int[] recencyDays;
        private final int[] tDays;
        private final double[] weight;
        private final int maxDays;

        Likelihood(List<History> histories) {
            Map<List<Long>, double[]> distinct = new HashMap<>();
            Map<Long, Integer> xAt = new HashMap<>();
            int max = 0;
            for (History h : histories) {
                long rec = Math.round(h.recency() * 7);
                long t = Math.round(h.t() * 7);
                max = (int) Math.max(max, t);
                distinct.computeIfAbsent(List.of(h.frequency(), rec, t), k -> new double[1])[0]++;
                xAt.putIfAbsent(h.frequency(), xAt.size());
            }
            maxDays = max;
            xs = new long[xAt.size()];
            xWeight = new double[xs.length];
            xAt.forEach((x, i) -> xs[i] = x);
            int n = distinct.size();
            xIndex = new int[n];
            recencyDays = new int[n];
            tDays = new int[n];
            weight = new double[n];
            int i = 0;
            for (Map.Entry<List<Long>, double[]> e : distinct.entrySet()) {
                xIndex[i] = xAt.get(e.getKey().get(0));
                recencyDays[i] = (int) (long) e.getKey().get(1);
                tDays[i] = (int) (long) e.getKey().get(2);
                weight[i] = e.getValue()[0];
                xWeight[xIndex[i]] += weight[i];
                i++;
            }
        }

        double of(double r, double alpha, double a, double b) {
            double[] logAlphaPlus = new double[maxDays + 1];
            for (int d = 0; d <= maxDays; d++) {
                logAlphaPlus[d] = Math.log(alpha + d / 7.0);
            }
            // per distinct x: log Gamma(r + x) - log Gamma(r) + r log alpha + log B(a, b + x) - log B(a, b), and
            // log(a / (b + x - 1)) for x > 0
            double[] constant = new double[xs.length];
            double[] logDrop = new double[xs.length];
            double base = -Gamma.logGamma(r) + r * Math.log(alpha) - Beta.logBeta(a, b);
            double ll = 0;
            for (int k = 0; k < xs.length; k++) {
                long x = xs[k];
                constant[k] = Gamma.logGamma(r + x) + Beta.logBeta(a, b + x) + base;
                logDrop[k] = x > 0 ? Math.log(a / (b + x - 1)) : 0;
                ll += xWeight[k] * constant[k];
            }
            for (int i = 0; i < weight.length; i++) {
                int k = xIndex[i];
                long x = xs[k];
                double a3 = -(r + x) * logAlphaPlus[tDays[i]];
                double term;
                if (x == 0) {
                    term = a3;
                } else {
                    double a4 = logDrop[k] - (r + x) * logAlphaPlus[recencyDays[i]];
                    term = Math.max(a3, a4) + Math.log1p(Math.exp(-Math.abs(a3 - a4)));
                }
                ll += weight[i] * term;
            }
            return ll;
        }
    }
}
