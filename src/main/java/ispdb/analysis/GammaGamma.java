package ispdb.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma model of spend per purchase (Fader &amp; Hardie 2013, "The Gamma-Gamma model of monetary
 * value"): a customer's purchases are gamma(p, nu) with nu gamma(q, v) across customers.
 */
public record GammaGamma(double p, double q, double v, boolean common) {
    static final String MODEL = "gamma-gamma";
    static final String[] NAMES = {"p", "q", "v"};

    /** The model with these parameters. */
    public GammaGamma(double p, double q, double v) {
        this(p, q, v, false);
    }

    /** A repeat customer's frequency (x > 0) and mean spend of the repeat purchases (m > 0). */
    record Spend(long frequency, double monetaryValue) {
    }

    /**
     * Whether the model describes a customer with this frequency and mean spend: a repeat customer (x > 0) whose mean
     * spend is positive. The model's spend is positive: customers whose refunds (negative amounts) outweigh their
     * purchases, or who spent nothing, are left out of the fit and get the population mean.
     */
    public static boolean describes(long frequency, double monetaryValue) {
        return frequency > 0 && monetaryValue > 0;
    }

    /** The population's mean spend per purchase, v p / (q - 1); in the common-spend limit p v / q (= p / nu). */
    public double populationMean() {
        return common ? p * (v / q) : v * p / (q - 1);
    }

    /**
     * The conditional mean spend per purchase (the note's equation 5): the weighted mean
     * (1 - w) v p / (q - 1) + w m, w = p x / (p x + q - 1); the population mean for customers the model does not
     * describe ({@link #describes}: x = 0, or m not positive), and for everyone in the common-spend limit (w tends to
     * 0 as q grows: one common spend rate, which a customer's own purchases say nothing more about).
     */
    public double expectedAverageValue(long frequency, double monetaryValue) {
        if (common || !describes(frequency, monetaryValue)) {
            return populationMean();
        }
        double w = p * frequency / (p * frequency + q - 1);
        return (1 - w) * populationMean() + w * monetaryValue;
    }

    /** The kind of limit fit that is the common-spend limit. */
    static final String COMMON = "common";
    /** q of a limit fit (q and v without bound, q / v fixed): the bound of the search. */
    static final double LIMIT_SCALE = 1e8;
    /** Both q and v beyond this (1e3) in the gradient search: it may head for the common-spend limit. */
    private static final double RIDGE = Math.log(1e3);
    /** p beyond 1e-6 to 1e6: some other limit. */
    private static final double LIMIT_LOG = Math.log(1e6);

    /**
     * Fits the model by maximum likelihood (log space) on the repeat customers' spends: Newton's method with the
     * analytic gradient from p 1, q 2 and v for the mean spend. Where q and v run off together, the limit they head
     * for (the gamma mixture of spend rates nu degenerates to the one value q / v: every customer's purchases are
     * gamma(p, nu) alike) is fitted as a model of its own (p, nu); if that limit is the supremum (as likely as anywhere
     * the search went, and the likelihood rises towards it along q and v), the fit is the limit, given at q = 1e8
     * with a note, and every customer's expected average value is the limit's population mean p / nu. Otherwise the
     * search goes on, and any other likelihood without a finite maximum goes on with Nelder-Mead.
     */
    static MaximumLikelihood.Fit fit(List<Spend> spends) {
        Likelihood likelihood = new Likelihood(spends);
        // the start: p 1, q 2, and v for the mean spend, p v / (q - 1)
        double mean = 0;
        for (Spend s : spends) {
            mean += s.monetaryValue();
        }
        double[] start = {1, 2, spends.isEmpty() ? 1 : mean / spends.size()};
        long[] evaluations = {0};
        MaximumLikelihood.Search search = MaximumLikelihood.search(likelihood, start,
                u -> u[1] > RIDGE && u[2] > RIDGE || Math.abs(u[0]) > LIMIT_LOG, evaluations);
        if (search.converged() && !search.beyond(0) && !search.beyond(1) && !search.beyond(2)) {
            return MaximumLikelihood.fitAt(MODEL, NAMES, search, likelihood, false, evaluations);
        }
        double[] e = search.estimates();
        if (search.cost() < Double.MAX_VALUE && search.log()[1] > RIDGE && search.log()[2] > RIDGE) {
            MaximumLikelihood.Fit limit = limit(likelihood, e, search.cost(), evaluations);
            if (limit != null) {
                return limit;
            }
        }
        MaximumLikelihood.Fit fit = MaximumLikelihood.fit(MODEL, "the Gamma-Gamma model", NAMES,
                search.cost() < Double.MAX_VALUE ? e : start, likelihood);
        return new MaximumLikelihood.Fit(MODEL, NAMES, fit.estimates(), fit.standardErrors(), fit.logLikelihood(),
                fit.limit(), fit.evaluations() + evaluations[0]);
    }

    /**
     * The common-spend limit fitted from the search's point {@code e} (minus log-likelihood {@code cost}), if it is
     * the supremum: the limit model has a maximum, at least as likely as the search's point, and the Gamma-Gamma
     * likelihood at that maximum's p and nu rises towards it as q goes from 1e5 to 1e6 (v = q / nu); else null.
     */
    private static MaximumLikelihood.Fit limit(Likelihood likelihood, double[] e, double cost, long[] evaluations) {
        MaximumLikelihood.Search common = MaximumLikelihood.search(likelihood::limit, new double[] {e[0], e[1] / e[2]},
                evaluations);
        if (!common.converged() || common.beyond(0) || common.beyond(1)) {
            return null;
        }
        double[] g = common.estimates();
        double p = g[0];
        double nu = g[1];
        double supremum = -common.cost();
        double tolerance = 1e-9 * Math.abs(supremum);
        // 1e5 and 1e6, not further: past that log Gamma(p x + q) - log Gamma(q) loses its last digits to cancellation
        double near = likelihood.of(p, 1e5, 1e5 / nu);
        double far = likelihood.of(p, 1e6, 1e6 / nu);
        evaluations[0] += 2;
        if (!(supremum >= -cost - tolerance && near <= far + tolerance && far <= supremum + tolerance)) {
            return null;
        }
        double[] log = {Math.log(p), Math.log(LIMIT_SCALE), Math.log(LIMIT_SCALE / nu)};
        String description = String.format(java.util.Locale.ROOT, "it rises as q and v grow together, towards the "
                + "limit where every customer's purchases have the same mean spend, p v / q = %.6g (the spend rates "
                + "q / v of the customers are all alike); the fit is that limit, with q and v given at q = 1e8, and "
                + "every customer's expected_average_value is that mean", p / nu);
        return MaximumLikelihood.fitAt(MODEL, NAMES, new MaximumLikelihood.Search(log, common.cost(), true),
                likelihood, true, evaluations).describedAs(COMMON, description);
    }

    /** The fitted model; the common-spend limit where the fit is that limit. */
    static GammaGamma of(MaximumLikelihood.Fit fit) {
        double[] e = fit.estimates();
        return new GammaGamma(e[0], e[1], e[2], fit.limit() && COMMON.equals(fit.limitKind()));
    }

    /**
     * The log-likelihood (the note's equation 1a, as lifetimes sums it): log Gamma(p x + q) - log Gamma(p x)
     * - log Gamma(q) + q log v + (p x - 1) log m + p x log x - (p x + q) log(x m + v) per customer, the terms
     * in x alone once per distinct x; and its gradient: by p, x [psi(p x + q) - psi(p x) + log m + log x - log(x m
     * + v)]; by q, psi(p x + q) - psi(q) + log v - log(x m + v); by v, q / v - (p x + q) / (x m + v).
     */
    static final class Likelihood implements MaximumLikelihood.Differentiable {
        private final long[] xs;
        private final double[] xWeight;
        private final int[] xIndex;
        private final double[] logM;
        private final double[] xm;

        Likelihood(List<Spend> spends) {
            Map<Long, Integer> xAt = new HashMap<>();
            int n = spends.size();
            xIndex = new int[n];
            logM = new double[n];
            xm = new double[n];
            for (int i = 0; i < n; i++) {
                Spend s = spends.get(i);
                xIndex[i] = xAt.computeIfAbsent(s.frequency(), k -> xAt.size());
                logM[i] = Math.log(s.monetaryValue());
                xm[i] = s.frequency() * s.monetaryValue();
            }
            xs = new long[xAt.size()];
            xAt.forEach((x, i) -> xs[i] = x);
            xWeight = new double[xs.length];
            for (int k : xIndex) {
                xWeight[k]++;
            }
        }

        double of(double p, double q, double v) {
            return at(new double[] {p, q, v}, null);
        }

        /**
         * The limit of the log-likelihood as q and v grow with q / v = nu fixed (each customer's x purchases total x m,
         * gamma(p x, nu) alike): log Gamma(p x + q) - log Gamma(q) - p x log v tends to p x log nu and -(p x + q)
         * log(1 + x m / v) to -nu x m, so that a customer's term is - log Gamma(p x) + (p x - 1) log m + p x log x
         * + p x log nu - nu x m. Its parameters are p and nu; its gradient by p, x [log x + log m + log nu
         * - psi(p x)]; by nu, p x / nu - x m.
         */
        double limit(double[] parameters, double[] gradient) {
            double p = parameters[0];
            double nu = parameters[1];
            boolean grad = gradient != null;
            double logNu = Math.log(nu);
            double[] px = new double[xs.length];
            double ll = 0;
            double dp = 0;
            double dnu = 0;
            for (int k = 0; k < xs.length; k++) {
                px[k] = p * xs[k];
                double logX = Math.log(xs[k]);
                ll += xWeight[k] * (-Gamma.logGamma(px[k]) + px[k] * (logX + logNu));
                if (grad) {
                    dp += xWeight[k] * xs[k] * (logX + logNu - Gamma.digamma(px[k]));
                    dnu += xWeight[k] * px[k] / nu;
                }
            }
            for (int i = 0; i < xIndex.length; i++) {
                int k = xIndex[i];
                ll += (px[k] - 1) * logM[i] - nu * xm[i];
                if (grad) {
                    dp += xs[k] * logM[i];
                    dnu -= xm[i];
                }
            }
            if (grad) {
                gradient[0] = dp;
                gradient[1] = dnu;
            }
            return ll;
        }

        @Override
        public double at(double[] parameters, double[] gradient) {
            double p = parameters[0];
            double q = parameters[1];
            double v = parameters[2];
            boolean grad = gradient != null;
            double[] px = new double[xs.length];
            double ll = 0;
            double dp = 0;
            double dq = 0;
            double dv = 0;
            double logV = Math.log(v);
            double base = -Gamma.logGamma(q) + q * logV;
            double digammaQ = grad ? Gamma.digamma(q) : 0;
            for (int k = 0; k < xs.length; k++) {
                px[k] = p * xs[k];
                double logX = Math.log(xs[k]);
                ll += xWeight[k] * (Gamma.logGamma(px[k] + q) - Gamma.logGamma(px[k]) + base + px[k] * logX);
                if (grad) {
                    double digammaPxQ = Gamma.digamma(px[k] + q);
                    dp += xWeight[k] * xs[k] * (digammaPxQ - Gamma.digamma(px[k]) + logX);
                    dq += xWeight[k] * (digammaPxQ - digammaQ + logV);
                    dv += xWeight[k] * q / v;
                }
            }
            for (int i = 0; i < xIndex.length; i++) {
                int k = xIndex[i];
                double pxi = px[k];
                double logXmV = Math.log(xm[i] + v);
                ll += (pxi - 1) * logM[i] - (pxi + q) * logXmV;
                if (grad) {
                    dp += xs[k] * (logM[i] - logXmV);
                    dq -= logXmV;
                    dv -= (pxi + q) / (xm[i] + v);
                }
            }
            if (grad) {
                gradient[0] = dp;
                gradient[1] = dq;
                gradient[2] = dv;
            }
            return ll;
        }
    }
}
