package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hipparchus.special.Beta;
import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The log-likelihoods the fits maximise: their analytic gradients against central differences, and the sums over
 * distinct histories (customers alike weighted) against the papers' per-customer formulas, written again here.
 */
class LikelihoodTest {
    /** Histories with many alike (whole days, few distinct frequencies), as a database gives them. */
    static List<PurchaseHistory> histories(long seed, int n) {
        Random random = new Random(seed);
        List<PurchaseHistory> histories = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = 1 + random.nextInt(60);
            long x = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
            int rec = x == 0 ? 0 : 1 + random.nextInt(t);
            histories.add(new PurchaseHistory(x, rec / 7.0, t / 7.0));
        }
        return histories;
    }

    /** Hardie's note 004, equation per customer, with log-gamma and log-beta. */
    static double bgNbdOneByOne(List<PurchaseHistory> histories, double r, double alpha, double a, double b) {
        double ll = 0;
        for (PurchaseHistory h : histories) {
            long x = h.frequency();
            double common = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
            double alive = Beta.logBeta(a, b + x) - Beta.logBeta(a, b) - (r + x) * Math.log(alpha + h.t());
            double l = Math.exp(alive);
            if (x > 0) {
                l += Math.exp(Beta.logBeta(a + 1, b + x - 1) - Beta.logBeta(a, b)
                        - (r + x) * Math.log(alpha + h.recency()));
            }
            ll += common + Math.log(l);
        }
        return ll;
    }

    private static void assertGradient(MaximumLikelihood.Differentiable f, double[] at) {
        double[] gradient = new double[at.length];
        double value = f.at(at, gradient);
        for (int i = 0; i < at.length; i++) {
            double h = 1e-6 * at[i];
            double[] plus = at.clone();
            double[] minus = at.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (f.at(plus, null) - f.at(minus, null)) / (2 * h);
            int k = i;
            assertEquals(numeric, gradient[i], 1e-6 * Math.max(Math.abs(numeric), Math.abs(value) / at[i]),
                    () -> "derivative " + k + " at " + java.util.Arrays.toString(at));
        }
    }

    @Test
    void bgNbdSumsOverDistinctHistoriesAsOneByOne() {
        List<PurchaseHistory> histories = histories(1, 3000);
        BgNbd.Likelihood likelihood = new BgNbd.Likelihood(histories);
        assertEquals(3000, likelihood.customers());
        // the point of the weights: far fewer terms than customers
        org.junit.jupiter.api.Assertions.assertTrue(likelihood.distinct() < 2000, () -> "" + likelihood.distinct());
        for (double[] p : new double[][] {{0.243, 4.414, 0.793, 2.426}, {2, 0.5, 3, 40}, {0.6, 0.8, 7e4, 9e5}}) {
            double expected = bgNbdOneByOne(histories, p[0], p[1], p[2], p[3]);
            assertEquals(expected, likelihood.of(p[0], p[1], p[2], p[3]), 1e-9 * Math.abs(expected));
        }
    }

    @Test
    void bgNbdGradientEqualsDifferences() {
        BgNbd.Likelihood likelihood = new BgNbd.Likelihood(histories(2, 2000));
        for (double[] p : new double[][] {{0.243, 4.414, 0.793, 2.426}, {2, 0.5, 3, 40}, {0.6, 0.8, 50, 900}}) {
            assertGradient(likelihood, p);
        }
    }

    /** As a and b grow with a / (a + b) = p, the log-likelihood tends to the limit model's, odds p / (1 - p). */
    @Test
    void bgNbdTendsToItsGeometricLimit() {
        List<PurchaseHistory> histories = histories(3, 2000);
        BgNbd.Likelihood likelihood = new BgNbd.Likelihood(histories);
        double p = 0.07;
        double limit = likelihood.limit(new double[] {0.6, 0.8, p / (1 - p)}, null);
        double previous = Double.NaN;
        for (double scale : new double[] {1e4, 1e6, 1e8}) {
            double ll = likelihood.of(0.6, 0.8, p * scale, (1 - p) * scale);
            double gap = Math.abs(limit - ll);
            assertEquals(0, gap, 2e3 / scale * Math.abs(limit), () -> "a + b = " + scale);
            if (!Double.isNaN(previous)) {
                org.junit.jupiter.api.Assertions.assertTrue(gap < previous / 10, () -> gap + " " + scale);
            }
            previous = gap;
        }
        assertGradient(likelihood::limit, new double[] {0.6, 0.8, p / (1 - p)});
        assertGradient(likelihood::limit, new double[] {1.7, 3.1, 0.4});
    }

    @Test
    void gammaGammaGradientEqualsDifferencesAndSumsAsOneByOne() {
        Random random = new Random(4);
        List<GammaGamma.Spend> spends = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            spends.add(new GammaGamma.Spend(1 + random.nextInt(8), 5 + 40 * random.nextDouble()));
        }
        GammaGamma.Likelihood likelihood = new GammaGamma.Likelihood(spends);
        for (double[] p : new double[][] {{6.25, 3.74, 15.44}, {1, 2, 20}, {30, 80, 2}}) {
            assertGradient(likelihood, p);
            double expected = 0;
            for (GammaGamma.Spend s : spends) {
                double px = p[0] * s.frequency();
                double m = s.monetaryValue();
                expected += Gamma.logGamma(px + p[1]) - Gamma.logGamma(px) - Gamma.logGamma(p[1])
                        + p[1] * Math.log(p[2]) + (px - 1) * Math.log(m) + px * Math.log(s.frequency())
                        - (px + p[1]) * Math.log(s.frequency() * m + p[2]);
            }
            assertEquals(expected, likelihood.of(p[0], p[1], p[2]), 1e-10 * Math.abs(expected));
        }
    }
}
