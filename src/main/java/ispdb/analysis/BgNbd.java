package ispdb.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BG/NBD model of repeat purchases (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"):
 * purchases at a gamma(r, alpha)-mixed Poisson rate while alive, and after each purchase a beta(a, b)-mixed chance
 * of dropping out. Times are in weeks.
 */
public record BgNbd(double r, double alpha, double a, double b, boolean geometric, boolean poisson)
        implements PurchaseModel {
    static final String MODEL = "bgnbd";
    static final String[] NAMES = {"r", "alpha", "a", "b"};

    /** The model with these parameters. */
    public BgNbd(double r, double alpha, double a, double b) {
        this(r, alpha, a, b, false, false);
    }

    /** The model, or its geometric limit ({@link #geometric(double, double, double, double)}). */
    public BgNbd(double r, double alpha, double a, double b, boolean geometric) {
        this(r, alpha, a, b, geometric, false);
    }

    /**
     * The geometric limit of the model as a and b grow with p = a / (a + b) fixed ({@code geometric}: a and b only
     * give p): every customer drops out after a purchase with probability p. Its expressions are the limits of
     * the model's, in closed form.
     */
    static BgNbd geometric(double r, double alpha, double a, double b) {
        return new BgNbd(r, alpha, a, b, true);
    }

    /**
     * The double limit of the model: the geometric limit ({@link #geometric}) as r and alpha grow too, with
     * lambda = r / alpha fixed (the gamma mixture of purchase rates degenerates to the one rate lambda: every
     * customer buys in a Poisson process of rate lambda while alive, and drops out after a purchase with probability
     * p = a / (a + b)). Its expressions are the limits of the model's, in closed form.
     */
    static BgNbd poisson(double r, double alpha, double a, double b) {
        return new BgNbd(r, alpha, a, b, true, true);
    }

    /**
     * The probability that a customer with this history is still alive (Hardie's note 021): 1 without repeat
     * purchases, else 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).
     */
    @Override
    public double pAlive(PurchaseHistory h) {
        if (h.frequency() == 0) {
            return 1;
        }
        return 1 / (1 + Math.exp(logOdds(h)));
    }

    /**
     * log(a / (b + x - 1)) + (r + x) log((alpha + T) / (alpha + t_x)), for x > 0; in the geometric limit a / (b + x
     * - 1) is p / (1 - p), a / b.
     */
    private double logOdds(PurchaseHistory h) {
        double x = h.frequency();
        if (poisson) {
            // ((alpha + T) / (alpha + t_x))^(r + x) tends to e^(lambda (T - t_x))
            return Math.log(a / b) + r / alpha * (h.t() - h.recency());
        }
        return Math.log(geometric ? a / b : a / (b + x - 1))
                + (r + x) * Math.log((alpha + h.t()) / (alpha + h.recency()));
    }

    /**
     * The geometric limit's expected purchases: (a + b + x - 1) / (a - 1) tends to 1 / p and 2F1(r + x, b + x; a + b
     * + x - 1; z) to (1 - (1 - p) z)^-(r + x), so that equation 10 becomes 1 / p [1 - ((alpha + T) / (alpha + T + p
     * t))^(r + x)] / [1 + (x > 0) p / (1 - p) ((alpha + T) / (alpha + t_x))^(r + x)].
     */
    private double geometricPurchases(double weeks, PurchaseHistory h, double odds) {
        double p = a / (a + b);
        // in the double limit ((alpha + T) / (alpha + T + p t))^(r + x) tends to e^(-lambda p t)
        double numerator = -Math.expm1(poisson ? -r / alpha * p * weeks
                : (r + h.frequency()) * Math.log((alpha + h.t()) / (alpha + h.t() + p * weeks))) / p;
        return h.frequency() == 0 ? numerator : numerator / (1 + odds);
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
    public double expectedPurchases(double weeks, PurchaseHistory h) {
        if (weeks == 0) {
            return 0;
        }
        if (geometric) {
            return geometricPurchases(weeks, h, h.frequency() == 0 ? 0 : Math.exp(logOdds(h)));
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

    /**
     * The expected purchases by each of {@code weeks} (ascending or not, each above 0) of a customer with this
     * history: {@link #expectedPurchases(double, PurchaseHistory)} at each, equal to it, with the 2F1 series summed for all
     * of them at once.
     */
    @Override
    public double[] expectedPurchases(double[] weeks, PurchaseHistory h) {
        double x = h.frequency();
        int m = weeks.length;
        if (geometric) {
            double odds = h.frequency() == 0 ? 0 : Math.exp(logOdds(h));
            double[] purchases = new double[m];
            for (int i = 0; i < m; i++) {
                purchases[i] = weeks[i] == 0 ? 0 : geometricPurchases(weeks[i], h, odds);
            }
            return purchases;
        }
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = weeks[i] / (alpha + h.t() + weeks[i]);
        }
        double c = a + b + x - 1;
        boolean euler = !(Math.abs((r + x) * (b + x)) <= Math.abs((a + b - 1 - r) * (a - 1)));
        double[] f = euler ? Hypergeometric.f21(a + b - 1 - r, a - 1, c, z) : Hypergeometric.f21(r + x, b + x, c, z);
        double[] purchases = new double[m];
        double odds = h.frequency() == 0 ? 0 : Math.exp(logOdds(h));
        for (int i = 0; i < m; i++) {
            if (weeks[i] == 0) {
                continue;
            }
            double hyp = Math.pow(1 - z[i], euler ? a - 1 : r + x) * f[i];
            double numerator = c / (a - 1) * (1 - hyp);
            purchases[i] = h.frequency() == 0 ? numerator : numerator / (1 + odds);
        }
        return purchases;
    }

    /**
     * The expected repeat purchases of a new customer in {@code weeks} weeks (the paper's equation 9): (a + b - 1) /
     * (a - 1) [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t))], which is equation 10 for x = 0,
     * t_x = 0, T = 0; in the geometric limit 1 / p [1 - (alpha / (alpha + p t))^r].
     */
    @Override
    public double expectedPurchasesUpTo(double weeks) {
        return expectedPurchases(weeks, new PurchaseHistory(0, 0, 0));
    }

    /** The kind of limit fit that is the geometric limit. */
    static final String GEOMETRIC = "geometric";
    /** The kind of limit fit that is the double limit: a Poisson process of purchases, one chance of dropping out. */
    static final String POISSON = "poisson";
    /** a + b of a limit fit (a and b without bound, a / (a + b) fixed): the bound of the search. */
    static final double LIMIT_SCALE = 1e8;
    /** Both a and b beyond this (1e3) in the gradient search: it may head for the geometric limit. */
    private static final double RIDGE = Math.log(1e3);
    /** r or alpha beyond 1e-6 to 1e6: some other limit. */
    private static final double LIMIT_LOG = Math.log(1e6);

    /**
     * Fits the model by maximum likelihood (log space) on the histories; recency and T are whole days / 7. Newton's
     * method with the analytic gradient from a start scaled to the data. Where a and b run off together, the limit
     * they head for (every customer drops out after a purchase with the same probability p = a / (a + b): the
     * beta mixture degenerates to one value) is fitted as a model of its own (r, alpha, p); if that limit is the
     * supremum (as likely as anywhere the search went, and the likelihood rises towards it along a and b), the fit
     * is the limit, given at a + b = 1e8 with a note, and its predictions are the limit's closed forms.
     * Otherwise the search goes on, and any other likelihood without a finite maximum goes on with Nelder-Mead.
     */
    static MaximumLikelihood.Fit fit(List<PurchaseHistory> histories) {
        Likelihood likelihood = new Likelihood(histories);
        double[] start = start(histories);
        long[] evaluations = {0};
        MaximumLikelihood.Search search = MaximumLikelihood.search(likelihood, start,
                u -> u[2] > RIDGE && u[3] > RIDGE || Math.abs(u[0]) > LIMIT_LOG || Math.abs(u[1]) > LIMIT_LOG,
                evaluations);
        if (search.converged() && !beyond(search)) {
            return MaximumLikelihood.fitAt(MODEL, NAMES, search, likelihood, false, evaluations);
        }
        double[] e = search.estimates();
        boolean rates = search.cost() < Double.MAX_VALUE && search.log()[0] > RIDGE && search.log()[1] > RIDGE;
        boolean dropouts = search.log()[2] > RIDGE && search.log()[3] > RIDGE;
        if (rates) {
            // r and alpha run off together: the double limit first (two parameters, a few evaluations), if the
            // search heads there; the geometric limit's search would walk the long ridge of r and alpha
            MaximumLikelihood.Fit limit = poissonLimit(likelihood, e[0] / e[1], e[2] / e[3], search.cost(),
                    evaluations);
            if (limit != null) {
                return limit;
            }
        }
        if (dropouts) {
            MaximumLikelihood.Fit limit = limit(likelihood, e, search.cost(), evaluations);
            if (limit != null) {
                return limit;
            }
        }
        MaximumLikelihood.Fit fit = MaximumLikelihood.fit(MODEL, "the BG/NBD model", NAMES,
                search.cost() < Double.MAX_VALUE ? e : start, likelihood);
        return new MaximumLikelihood.Fit(MODEL, NAMES, fit.estimates(), fit.standardErrors(), fit.logLikelihood(),
                fit.limit(), fit.evaluations() + evaluations[0]);
    }

    private static boolean beyond(MaximumLikelihood.Search search) {
        for (int i = 0; i < NAMES.length; i++) {
            if (search.beyond(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The geometric limit fitted from the search's point {@code e} (minus log-likelihood {@code cost}), if it is
     * the supremum: the limit model has a maximum, at least as likely as the search's point, and the BG/NBD
     * likelihood at that maximum's r, alpha and p rises towards it as a + b goes from 1e6 to 1e8; else null.
     */
    private static MaximumLikelihood.Fit limit(Likelihood likelihood, double[] e, double cost, long[] evaluations) {
        MaximumLikelihood.Search geometric = MaximumLikelihood.search(likelihood::limit,
                new double[] {e[0], e[1], e[2] / e[3]}, evaluations);
        if (geometric.cost() < Double.MAX_VALUE && geometric.beyond(0) && geometric.beyond(1)
                && !geometric.beyond(2)) {
            // r and alpha run off too: the double limit, if it is the supremum
            double[] g = geometric.estimates();
            return poissonLimit(likelihood, g[0] / g[1], g[2], Math.min(cost, geometric.cost()), evaluations);
        }
        if (!geometric.converged() || geometric.beyond(0) || geometric.beyond(1) || geometric.beyond(2)) {
            return null;
        }
        double[] g = geometric.estimates();
        double p = g[2] / (1 + g[2]);
        double supremum = -geometric.cost();
        double tolerance = 1e-9 * Math.abs(supremum);
        double near = likelihood.of(g[0], g[1], p * 1e6, (1 - p) * 1e6);
        double far = likelihood.of(g[0], g[1], p * LIMIT_SCALE, (1 - p) * LIMIT_SCALE);
        evaluations[0] += 2;
        if (!(supremum >= -cost - tolerance && near <= far + tolerance && far <= supremum + tolerance)) {
            return null;
        }
        double[] log = {Math.log(g[0]), Math.log(g[1]), Math.log(p * LIMIT_SCALE), Math.log((1 - p) * LIMIT_SCALE)};
        String description = String.format(java.util.Locale.ROOT, "it rises as a and b grow together, towards the "
                + "limit where every customer drops out after a purchase with the same probability a / (a + b) = "
                + "%.4g; the fit is that limit, with a and b given at a + b = 1e8 (the predictions are the limit's "
                + "closed forms)", p);
        return MaximumLikelihood.fitAt(MODEL, NAMES, new MaximumLikelihood.Search(log, geometric.cost(), true),
                likelihood, true, evaluations).describedAs(GEOMETRIC, description);
    }

    /** alpha of a double-limit fit (r and alpha without bound, r / alpha fixed), as a + b is: 1e8. */
    static final double POISSON_SCALE = 1e8;

    /**
     * The double limit fitted from lambda = r / alpha and the odds of dropping out {@code odds} of a search that
     * heads there (minus log-likelihood at best {@code cost}), if it is the supremum: the limit model (lambda, odds)
     * has a maximum, at least as likely as the search's best point, and the BG/NBD likelihood at its lambda and p
     * rises towards it along both pairs, r and alpha (alpha 1e4 to 1e5, r = lambda alpha) and a and b (a + b 1e6 to
     * 1e8), and stays below it; else null. (Further out in r and alpha the log-likelihood's terms, of order r log
     * alpha, cancel beyond the tolerance.)
     */
    private static MaximumLikelihood.Fit poissonLimit(Likelihood likelihood, double lambda, double odds, double cost,
            long[] evaluations) {
        if (!(lambda > 0 && odds > 0 && Double.isFinite(lambda) && Double.isFinite(odds))) {
            return null;
        }
        MaximumLikelihood.Search limit = MaximumLikelihood.search(likelihood::poisson, new double[] {lambda, odds},
                evaluations);
        if (!limit.converged() || limit.beyond(0) || limit.beyond(1)) {
            return null;
        }
        double[] g = limit.estimates();
        double p = g[1] / (1 + g[1]);
        double supremum = -limit.cost();
        double tolerance = 1e-9 * Math.abs(supremum);
        double[][] points = {{1e4, 1e6}, {1e5, 1e6}, {1e4, 1e8}, {1e5, 1e8}};
        double[] ll = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            double alpha = points[i][0];
            double ab = points[i][1];
            ll[i] = likelihood.of(g[0] * alpha, alpha, p * ab, (1 - p) * ab);
        }
        evaluations[0] += points.length;
        boolean rises = ll[0] <= ll[1] + tolerance && ll[2] <= ll[3] + tolerance && ll[0] <= ll[2] + tolerance
                && ll[1] <= ll[3] + tolerance;
        if (!(supremum >= -cost - tolerance && rises && ll[3] <= supremum + tolerance)) {
            return null;
        }
        double[] log = {Math.log(g[0] * POISSON_SCALE), Math.log(POISSON_SCALE), Math.log(p * LIMIT_SCALE),
            Math.log((1 - p) * LIMIT_SCALE)};
        String description = String.format(java.util.Locale.ROOT, "it rises as r and alpha grow together and a and "
                + "b grow together, towards the limit where every customer buys in a Poisson process of the same rate "
                + "r / alpha = %.4g a week and drops out after a purchase with the same probability a / (a + b) = "
                + "%.4g; the fit is that limit, with r and alpha given at alpha = 1e8 and a and b at a + b = 1e8 "
                + "(the predictions are the limit's closed forms)", g[0], p);
        return MaximumLikelihood.fitAt(MODEL, NAMES, new MaximumLikelihood.Search(log, limit.cost(), true),
                likelihood, true, evaluations).describedAs(POISSON, description);
    }

    /** The start: r 1, a 1, b 1, and alpha for the mean rate of repeat purchases, mean x / mean T = r / alpha. */
    private static double[] start(List<PurchaseHistory> histories) {
        double x = 0;
        double t = 0;
        for (PurchaseHistory h : histories) {
            x += h.frequency();
            t += h.t();
        }
        double alpha = x > 0 && t > 0 ? t / x : 1;
        return new double[] {1, alpha, 1, 1};
    }

    /** The fitted model; the geometric limit where the fit is that limit. */
    static BgNbd of(MaximumLikelihood.Fit fit) {
        double[] p = fit.estimates();
        boolean poisson = fit.limit() && POISSON.equals(fit.limitKind());
        return new BgNbd(p[0], p[1], p[2], p[3], poisson || fit.limit() && GEOMETRIC.equals(fit.limitKind()),
                poisson);
    }

    /**
     * The log-likelihood (Hardie's note 004) and its gradient, summed over customers with the same history at once
     * (their weight), its terms in x computed once per distinct x (x is whole: log Gamma(r + x) - log Gamma(r) and
     * log B(a, b + x) - log B(a, b) are sums over 0..x-1, and so are their derivatives), and the logs of
     * alpha + days / 7 once per distinct day count.
     */
    static final class Likelihood implements MaximumLikelihood.Differentiable {
        private final long[] xs;          // the distinct frequencies, ascending
        private final double[] xWeight;   // customers per distinct frequency
        private final int[] xIndex;       // per distinct history: the index of its x in xs
        private final int[] recencyDays;
        private final int[] tDays;
        private final double[] weight;
        private final int maxDays;
        private final int histories;

        Likelihood(List<PurchaseHistory> histories) {
            // the key: x, recency days and T days in 21 bits each (larger values in a map), sorted so that equal
            // histories are neighbours: 8 bytes a customer, in history order
            long[] keys = new long[histories.size()];
            int small = 0;
            Map<List<Long>, double[]> large = new HashMap<>();
            java.util.TreeSet<Long> frequencies = new java.util.TreeSet<>();
            int max = 0;
            for (PurchaseHistory h : histories) {
                long rec = Math.round(h.recency() * 7);
                long t = Math.round(h.t() * 7);
                max = (int) Math.max(max, t);
                if (h.frequency() >= 0 && h.frequency() < 1 << 21 && rec >= 0 && rec < 1 << 21 && t >= 0
                        && t < 1 << 21) {
                    keys[small++] = h.frequency() << 42 | rec << 21 | t;
                } else {
                    large.computeIfAbsent(List.of(h.frequency(), rec, t), k -> new double[1])[0]++;
                    frequencies.add(h.frequency());
                }
            }
            java.util.Arrays.sort(keys, 0, small);
            int runs = 0;
            for (int i = 0; i < small; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    runs++;
                    if (i == 0 || keys[i] >>> 42 != keys[i - 1] >>> 42) {
                        frequencies.add(keys[i] >>> 42);
                    }
                }
            }
            this.histories = histories.size();
            maxDays = max;
            xs = frequencies.stream().mapToLong(Long::longValue).toArray();
            Map<Long, Integer> xAt = new HashMap<>();
            for (int k = 0; k < xs.length; k++) {
                xAt.put(xs[k], k);
            }
            xWeight = new double[xs.length];
            int n = runs + large.size();
            xIndex = new int[n];
            recencyDays = new int[n];
            tDays = new int[n];
            weight = new double[n];
            int i = 0;
            long mask = (1 << 21) - 1;
            for (int from = 0; from < small;) {
                long key = keys[from];
                int to = from + 1;
                while (to < small && keys[to] == key) {
                    to++;
                }
                set(i++, xAt.get(key >>> 42), key >>> 21 & mask, key & mask, to - from);
                from = to;
            }
            for (Map.Entry<List<Long>, double[]> e : large.entrySet()) {
                set(i++, xAt.get(e.getKey().get(0)), e.getKey().get(1), e.getKey().get(2), e.getValue()[0]);
            }
        }

        private void set(int i, int x, long recency, long t, double customers) {
            xIndex[i] = x;
            recencyDays[i] = Math.toIntExact(recency);
            tDays[i] = Math.toIntExact(t);
            weight[i] = customers;
            xWeight[x] += customers;
        }

        /** Distinct histories: the terms summed per evaluation. */
        int distinct() {
            return weight.length;
        }

        /** Customers. */
        int customers() {
            return histories;
        }

        double of(double r, double alpha, double a, double b) {
            return at(new double[] {r, alpha, a, b}, null);
        }

        /** The log-likelihood at p = (r, alpha, a, b), and its gradient unless null. */
        @Override
        public double at(double[] p, double[] gradient) {
            return sum(p[0], p[1], p[2], p[3], false, gradient);
        }

        /**
         * The limit of the log-likelihood as a and b grow with a / (a + b) = p fixed (each purchase is followed by
         * dropping out with probability p): B(a, b + x) / B(a, b) tends to (1 - p)^x and a / (b + x - 1) to
         * p / (1 - p). Its parameters are r, alpha and the odds o = p / (1 - p).
         */
        double limit(double[] p, double[] gradient) {
            return sum(p[0], p[1], p[2], 0, true, gradient);
        }

        /**
         * The limit of the log-likelihood as r and alpha grow with r / alpha = lambda fixed, and a and b with
         * a / (a + b) = p fixed (the double limit): Gamma(r + x) / Gamma(r) alpha^r / (alpha + T)^(r + x) tends to
         * lambda^x e^(-lambda T), so that a customer's likelihood is lambda^x (1 - p)^x [e^(-lambda T) + (x > 0) o
         * e^(-lambda t_x)], o = p / (1 - p). Its parameters are lambda and o.
         */
        double poisson(double[] p, double[] gradient) {
            double lambda = p[0];
            double o = p[1];
            boolean grad = gradient != null;
            double logLambda = Math.log(lambda);
            double logOnePlusO = Math.log1p(o);
            double logO = Math.log(o);
            double ll = 0;
            double dl = 0;
            double dodds = 0;
            for (int k = 0; k < xs.length; k++) {
                double wx = xWeight[k] * xs[k];
                ll += wx * (logLambda - logOnePlusO);
                if (grad) {
                    dl += wx / lambda;
                    dodds -= wx / (1 + o);
                }
            }
            for (int i = 0; i < weight.length; i++) {
                double t = tDays[i] / 7.0;
                double a3 = -lambda * t;
                double wi = weight[i];
                if (xs[xIndex[i]] == 0) {
                    ll += wi * a3;
                    if (grad) {
                        dl -= wi * t;
                    }
                    continue;
                }
                double tx = recencyDays[i] / 7.0;
                double a4 = logO - lambda * tx;
                double e = Math.exp(-Math.abs(a3 - a4));
                // log(1 + e) for e in (0, 1]: Java 17's log1p is a native call (StrictMath), a tenth of the sum's time
                ll += wi * (Math.max(a3, a4) + Math.log(1 + e));
                if (grad) {
                    double s = a4 >= a3 ? 1 / (1 + e) : e / (1 + e);
                    dl -= wi * ((1 - s) * t + s * tx);
                    dodds += wi * s / o;
                }
            }
            if (grad) {
                gradient[0] = dl;
                gradient[1] = dodds;
            }
            return ll;
        }

        /**
         * The sum; for the limit {@code c} is the odds of dropping out and {@code b} is unused. Per distinct x the
         * constant log Gamma(r + x) - log Gamma(r) + r log alpha + log B(a, b + x) - log B(a, b) (limit: -x log(1 +
         * o)) and the log of a / (b + x - 1) (limit: log o); per history log(e^A3 + e^A4) with A3 = -(r + x)
         * log(alpha + T), A4 = that log - (r + x) log(alpha + t_x) for x > 0.
         */
        private double sum(double r, double alpha, double a, double b, boolean limit, double[] gradient) {
            boolean grad = gradient != null;
            double[] logAlphaPlus = new double[maxDays + 1];
            double[] inverseAlphaPlus = grad ? new double[maxDays + 1] : null;
            for (int d = 0; d <= maxDays; d++) {
                double v = alpha + d / 7.0;
                logAlphaPlus[d] = Math.log(v);
                if (grad) {
                    inverseAlphaPlus[d] = 1 / v;
                }
            }
            int m = xs.length;
            double[] logDrop = new double[m];
            double[] dDropA = new double[m];  // d logDrop / da (limit: / d o)
            double[] dDropB = new double[m];
            double ll = 0;
            double dr = 0;
            double dalpha = 0;
            double da = 0;
            double db = 0;
            // running sums over j = 0..x-1
            double logR = 0;       // sum log(r + j)
            double invR = 0;       // sum 1 / (r + j)
            double logRatio = 0;   // sum log((b + j) / (a + b + j))
            double invB = 0;       // sum 1 / (b + j)
            double invAB = 0;      // sum 1 / (a + b + j)
            long j = 0;
            double logAlpha = Math.log(alpha);
            for (int k = 0; k < m; k++) {
                long x = xs[k];
                for (; j < x; j++) {
                    logR += Math.log(r + j);
                    if (!limit) {
                        logRatio += Math.log((b + j) / (a + b + j));
                    }
                    if (grad) {
                        invR += 1 / (r + j);
                        if (!limit) {
                            invB += 1 / (b + j);
                            invAB += 1 / (a + b + j);
                        }
                    }
                }
                double w = xWeight[k];
                if (limit) {
                    ll += w * (logR + r * logAlpha - x * Math.log1p(a));
                    logDrop[k] = x > 0 ? Math.log(a) : 0;
                    dDropA[k] = 1 / a;
                } else {
                    ll += w * (logR + r * logAlpha + logRatio);
                    logDrop[k] = x > 0 ? Math.log(a / (b + x - 1)) : 0;
                    dDropA[k] = 1 / a;
                    dDropB[k] = -1 / (b + x - 1);
                }
                if (grad) {
                    dr += w * (invR + logAlpha);
                    dalpha += w * r / alpha;
                    if (limit) {
                        da -= w * x / (1 + a);
                    } else {
                        da -= w * invAB;
                        db += w * (invB - invAB);
                    }
                }
            }
            for (int i = 0; i < weight.length; i++) {
                int k = xIndex[i];
                long x = xs[k];
                double rx = r + x;
                double a3 = -rx * logAlphaPlus[tDays[i]];
                double wi = weight[i];
                if (x == 0) {
                    ll += wi * a3;
                    if (grad) {
                        dr -= wi * logAlphaPlus[tDays[i]];
                        dalpha -= wi * rx * inverseAlphaPlus[tDays[i]];
                    }
                    continue;
                }
                double a4 = logDrop[k] - rx * logAlphaPlus[recencyDays[i]];
                double e = Math.exp(-Math.abs(a3 - a4));
                // log(1 + e) for e in (0, 1]: Java 17's log1p is a native call (StrictMath), a tenth of the sum's time
                ll += wi * (Math.max(a3, a4) + Math.log(1 + e));
                if (grad) {
                    // the share of the dropped-out term, e^A4 / (e^A3 + e^A4)
                    double s = a4 >= a3 ? 1 / (1 + e) : e / (1 + e);
                    dr -= wi * ((1 - s) * logAlphaPlus[tDays[i]] + s * logAlphaPlus[recencyDays[i]]);
                    dalpha -= wi * rx * ((1 - s) * inverseAlphaPlus[tDays[i]] + s * inverseAlphaPlus[recencyDays[i]]);
                    da += wi * s * dDropA[k];
                    db += wi * s * dDropB[k];
                }
            }
            if (grad) {
                gradient[0] = dr;
                gradient[1] = dalpha;
                gradient[2] = da;
                if (gradient.length > 3) {
                    gradient[3] = db;
                }
            }
            return ll;
        }
    }
}
