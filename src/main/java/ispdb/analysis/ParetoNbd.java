package ispdb.analysis;

import java.util.List;

/**
 * The Pareto/NBD model of repeat purchases (Schmittlein, Morrison &amp; Colombo 1987, "Counting your customers: who
 * are they and what will they do next?"): purchases at a gamma(r, alpha)-mixed Poisson rate while alive, and an
 * exponential lifetime whose rate is gamma(s, beta)-mixed. The likelihood as in Fader, Hardie &amp; Lee 2005, "A
 * note on implementing the Pareto/NBD model in MATLAB", and Fader &amp; Hardie 2005, "A note on deriving the
 * Pareto/NBD model and related expressions" (lifetimes' ParetoNBDFitter). Times are in weeks.
 */
public record ParetoNbd(double r, double alpha, double s, double beta) implements PurchaseModel {
    static final String MODEL = "paretonbd";
    static final String[] NAMES = {"r", "alpha", "s", "beta"};
    /** Terms of the series summed at most; beyond, the likelihood is taken as not finite there. */
    private static final int MAX_TERMS = 1_000_000;

    /**
     * The probability that a customer with this history is still alive (the derivations note's section 5.1,
     * lifetimes' {@code conditional_probability_alive}):
     * 1 / (1 + s / (r + s + x) (alpha + T)^(r + x) (beta + T)^s A0), which is 1 / (1 + e^(B - A)) with the
     * likelihood's two terms, A = -(r + x) log(alpha + T) - s log(beta + T) and B = log s + log I.
     */
    @Override
    public double pAlive(PurchaseHistory h) {
        Tail tail = tail(r, alpha, s, beta, h.frequency(), h.recency(), h.t(), false);
        if (!Double.isFinite(tail.log) && tail.log != Double.NEGATIVE_INFINITY) {
            throw new ArithmeticException("the Pareto/NBD series does not settle for frequency " + h.frequency()
                    + ", recency " + h.recency() + ", T " + h.t());
        }
        double a = -(r + h.frequency()) * Math.log(alpha + h.t()) - s * Math.log(beta + h.t());
        double b = Math.log(s) + tail.log;
        return 1 / (1 + Math.exp(b - a));
    }

    /**
     * The expected purchases in the next {@code weeks[i]} weeks of a customer with this history (the derivations
     * note's conditional expectation, lifetimes' {@code conditional_expected_number_of_purchases_up_to_time}):
     * P(alive) (r + x) (beta + T) / ((alpha + T) (s - 1)) [1 - ((beta + T) / (beta + T + t))^(s - 1)]; at s = 1
     * its limit, with log((beta + T + t) / (beta + T)) for the last two factors.
     */
    @Override
    public double[] expectedPurchases(double[] weeks, PurchaseHistory h) {
        double alive = pAlive(h);
        double scale = alive * (r + h.frequency()) * (beta + h.t()) / (alpha + h.t());
        double[] purchases = new double[weeks.length];
        for (int i = 0; i < weeks.length; i++) {
            purchases[i] = scale * lifetime(Math.log1p(weeks[i] / (beta + h.t())));
        }
        return purchases;
    }

    /**
     * The expected repeat purchases of a new customer in {@code weeks} weeks (the derivations note's E[X(t)],
     * lifetimes' {@code expected_number_of_purchases_up_to_time}):
     * r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)], at s = 1 r beta / alpha log((beta + t) / beta).
     */
    @Override
    public double expectedPurchasesUpTo(double weeks) {
        return r / alpha * beta * lifetime(Math.log1p(weeks / beta));
    }

    /**
     * [1 - e^(-(s - 1) L)] / (s - 1) for L = log((beta + T + t) / (beta + T)): the expected lifetime's share of the
     * next weeks, divided by beta + T; L itself at s = 1.
     */
    private double lifetime(double logRatio) {
        double u = (s - 1) * logRatio;
        return Math.abs(u) < 1e-8 ? logRatio * (1 - u / 2) : -Math.expm1(-u) / u * logRatio;
    }

    /**
     * log I and its gradient by r, alpha, s, beta, where I = integral from t_x to T of (alpha + y)^-(r + x)
     * (beta + y)^-(s + 1) dy: the likelihood of dying between the last purchase and T, A0 / (r + s + x) in the
     * notes. With m = max(alpha, beta), c = |alpha - beta|, u = 1 / (m + y), the integral is that of u^(a - 1)
     * (1 - c u)^-b over u from 1 / (m + T) to 1 / (m + t_x), a = r + s + x and b = s + 1 (alpha &gt;= beta) or
     * r + x (alpha &lt; beta): the notes' 2F1(a, b; a + 1; c u) u^a / a at the two ends. It is summed here as one
     * series in the two ends' difference, sum over n of (b)_n (c U1)^n / n! (1 - (U2 / U1)^(a + n)) / (a + n) times
     * U1^a (U1 = 1 / (m + t_x), U2 = 1 / (m + T)), which does not cancel when t_x is near T; its terms' derivatives
     * give the gradient. log I is -infinity when t_x = T.
     */
    static Tail tail(double r, double alpha, double s, double beta, long x, double tx, double t, boolean grad) {
        if (!(tx < t)) {
            return new Tail(Double.NEGATIVE_INFINITY, null);
        }
        boolean alphaLarger = alpha >= beta;
        double m = alphaLarger ? alpha : beta;
        double c = Math.abs(alpha - beta);
        double a = r + s + x;
        double b = alphaLarger ? s + 1 : r + x;
        double logU1 = -Math.log(m + tx);
        double lambda = Math.log((m + tx) / (m + t));  // log(U2 / U1), not above 0
        double z1 = c / (m + tx);
        double d = 0;
        double da = 0;
        double db = 0;
        double dc = 0;
        double g = 1;           // (b)_n z1^n / n!
        double k = 0;           // n (b)_n z1^(n - 1) / n!, = g_(n-1) (b + n - 1)
        double harmonic = 0;    // sum over j < n of 1 / (b + j)
        // e = (U2 / U1)^(a + n) and q = 1 - e, kept running without cancelling: q grows by e (1 - U2 / U1)
        double e = Math.exp(a * lambda);
        double q = -Math.expm1(a * lambda);
        double ratio = Math.exp(lambda);
        double rest = -Math.expm1(lambda);
        int n = 0;
        for (; n < MAX_TERMS; n++) {
            if (n > 0) {
                q += e * rest;
                e *= ratio;
            }
            double inverse = 1 / (a + n);
            double term = g * q * inverse;
            double next = d + term;
            boolean settled = next == d && n > 0;
            d = next;
            if (grad) {
                double ta = g * inverse * (logU1 * q - lambda * e - q * inverse);
                double tb = term * harmonic;
                double tc = k * q * inverse;
                settled &= da + ta == da && db + tb == db && dc + tc == dc;
                da += ta;
                db += tb;
                dc += tc;
            }
            if (settled && (b + n) * z1 / (n + 1) < 1) {
                break;
            }
            k = g * (b + n);
            harmonic += 1 / (b + n);
            g *= (b + n) * z1 / (n + 1);
            if (!Double.isFinite(g)) {
                n = MAX_TERMS;
                break;
            }
        }
        if (n >= MAX_TERMS) {
            return new Tail(Double.NaN, null);
        }
        double log = a * logU1 + Math.log(d);
        if (!grad || d <= 0) {
            return new Tail(log, null);
        }
        double u1 = 1 / (m + tx);
        double u2 = 1 / (m + t);
        // d I / d m through u, over U1^a: -U1 (1 - c U1)^-b + (U2 / U1)^a U2 (1 - c U2)^-b
        double du = -u1 * Math.exp(-b * Math.log1p(-z1)) + u2 * Math.exp(a * lambda - b * Math.log1p(-c * u2));
        double byA = da / d;
        double byB = db / d;
        double byC = c == 0 && dc == 0 ? 0 : dc * u1 / d;
        double byM = du / d;
        double[] gradient = alphaLarger
                ? new double[] {byA, byC + byM, byA + byB, -byC}
                : new double[] {byA + byB, -byC, byA, byC + byM};
        return new Tail(log, gradient);
    }

    /** log I of {@link #tail}, and its gradient by r, alpha, s, beta (null unless asked for, or where I = 0). */
    record Tail(double log, double[] gradient) {
    }

    /**
     * Fits the model by maximum likelihood (log space) on the histories: Newton's method with the analytic gradient
     * from a start scaled to the data (r 1, s 1, alpha for the mean rate of repeat purchases mean x / mean T = r /
     * alpha, beta the mean T); where it finds no finite maximum (a limit, such as everyone's lifetime or purchase
     * rate alike), Nelder-Mead goes on from the best point found, and the fit is that limit, with a note.
     */
    static MaximumLikelihood.Fit fit(List<PurchaseHistory> histories) {
        Likelihood likelihood = new Likelihood(histories);
        double x = 0;
        double t = 0;
        for (PurchaseHistory h : histories) {
            x += h.frequency();
            t += h.t();
        }
        double meanT = t > 0 ? t / histories.size() : 1;
        double[] start = {1, x > 0 && t > 0 ? t / x : 1, 1, meanT};
        return MaximumLikelihood.fitOrLimit(MODEL, "the Pareto/NBD model", NAMES, start, likelihood);
    }

    /** The fitted model. */
    static ParetoNbd of(MaximumLikelihood.Fit fit) {
        double[] p = fit.estimates();
        return new ParetoNbd(p[0], p[1], p[2], p[3]);
    }

    /**
     * The log-likelihood (the MATLAB note's, lifetimes' {@code _conditional_log_likelihood}) and its
     * gradient, summed over customers with the same history at once (their weight), in a fixed order (by x,
     * t_x, T) whatever the order of the histories: log Gamma(r + x) - log Gamma(r) + r log alpha + s log beta +
     * log(e^A + e^B), A = -(r + x) log(alpha + T) - s log(beta + T), B = log s + log I ({@link #tail}).
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

        /** Distinct histories: the terms summed per evaluation. */
        int distinct() {
            return weight.length;
        }

        double of(double r, double alpha, double s, double beta) {
            return at(new double[] {r, alpha, s, beta}, null);
        }

        /** The log-likelihood at p = (r, alpha, s, beta), and its gradient unless null; NaN where not finite. */
        @Override
        public double at(double[] p, double[] gradient) {
            double r = p[0];
            double alpha = p[1];
            double s = p[2];
            double beta = p[3];
            boolean grad = gradient != null;
            double ll = 0;
            double[] sum = new double[4];
            double logAlpha = Math.log(alpha);
            double logBeta = Math.log(beta);
            double logS = Math.log(s);
            double logR = 0;   // sum over j < x of log(r + j)
            double invR = 0;   // sum over j < x of 1 / (r + j)
            long j = 0;
            for (int i = 0; i < weight.length; i++) {
                long x = xs[i];
                for (; j < x; j++) {
                    logR += Math.log(r + j);
                    invR += 1 / (r + j);
                }
                double w = weight[i];
                double logAlphaT = Math.log(alpha + t[i]);
                double logBetaT = Math.log(beta + t[i]);
                double a = -(r + x) * logAlphaT - s * logBetaT;
                Tail tail = tail(r, alpha, s, beta, x, recency[i], t[i], grad);
                if (Double.isNaN(tail.log)) {
                    return Double.NaN;
                }
                double b = logS + tail.log;
                double e = Math.exp(-Math.abs(a - b));
                double max = Math.max(a, b);
                ll += w * (logR + r * logAlpha + s * logBeta + (max == Double.NEGATIVE_INFINITY ? max
                        : max + Math.log1p(e)));
                if (grad) {
                    // the share of the term of dying before T, e^B / (e^A + e^B)
                    double share = tail.gradient == null ? 0 : b >= a ? 1 / (1 + e) : e / (1 + e);
                    double[] dB = tail.gradient;
                    sum[0] += w * (invR + logAlpha - (1 - share) * logAlphaT + (dB == null ? 0 : share * dB[0]));
                    sum[1] += w * (r / alpha - (1 - share) * (r + x) / (alpha + t[i])
                            + (dB == null ? 0 : share * dB[1]));
                    sum[2] += w * (logBeta - (1 - share) * logBetaT + (dB == null ? 0 : share * (1 / s + dB[2])));
                    sum[3] += w * (s / beta - (1 - share) * s / (beta + t[i]) + (dB == null ? 0 : share * dB[3]));
                }
            }
            if (grad) {
                System.arraycopy(sum, 0, gradient, 0, 4);
            }
            return ll;
        }
    }
}
