package ispdb.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma model of spend per purchase (Fader &amp; Hardie 2013, "The Gamma-Gamma model of monetary
 * value"): a customer's purchases are gamma(p, nu) with nu gamma(q, v) across customers.
 */
public record GammaGamma(double p, double q, double v) {
    static final String MODEL = "gamma-gamma";
    static final String[] NAMES = {"p", "q", "v"};

    /** A repeat customer's frequency (x > 0) and mean spend of the repeat purchases (m > 0). */
    record Spend(long frequency, double monetaryValue) {
    }

    /** The population's mean spend per purchase, v p / (q - 1). */
    public double populationMean() {
        return v * p / (q - 1);
    }

    /**
     * The conditional mean spend per purchase (the note's equation 5): the weighted mean
     * (1 - w) v p / (q - 1) + w m, w = p x / (p x + q - 1); the population mean for x = 0.
     */
    public double expectedAverageValue(long frequency, double monetaryValue) {
        double w = p * frequency / (p * frequency + q - 1);
        return (1 - w) * populationMean() + w * monetaryValue;
    }

    static MaximumLikelihood.Fit fit(List<Spend> spends) {
        Likelihood likelihood = new Likelihood(spends);
        // the start: p 1, q 2, and v for the mean spend, p v / (q - 1)
        double mean = spends.stream().mapToDouble(Spend::monetaryValue).average().orElse(1);
        return MaximumLikelihood.fit(MODEL, "the Gamma-Gamma model", NAMES, new double[] {1, 2, mean}, likelihood);
    }

    static GammaGamma of(MaximumLikelihood.Fit fit) {
        double[] e = fit.estimates();
        return new GammaGamma(e[0], e[1], e[2]);
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
