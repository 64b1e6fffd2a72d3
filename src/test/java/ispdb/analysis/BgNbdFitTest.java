package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hipparchus.distribution.continuous.BetaDistribution;
import org.hipparchus.distribution.continuous.GammaDistribution;
import org.junit.jupiter.api.Test;

/**
 * BG/NBD fits of simulated customers (the model's own story, times in whole days as the database gives them):
 * the gradient search finds the maximum that a plain Nelder-Mead search of the per-customer likelihood finds, and
 * where every customer has the same chance of dropping out, the fit is the geometric limit with a note.
 */
class BgNbdFitTest {
    /**
     * Customers observed for 10 to 60 weeks, buying at gamma(r, alpha) rates and after each repeat purchase dropping
     * out with a probability from {@code dropout} (a beta, or a constant).
     */
    static List<PurchaseHistory> simulate(long seed, int n, double r, double alpha,
            java.util.function.DoubleSupplier dropout) {
        Random random = new Random(seed);
        GammaDistribution rates = new GammaDistribution(r, 1 / alpha);
        List<PurchaseHistory> histories = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tDays = 70 + random.nextInt(351);
            double lambda = rates.inverseCumulativeProbability(random.nextDouble());
            double p = dropout.getAsDouble();
            double t = 0;
            long x = 0;
            double last = 0;
            while (true) {
                t += -Math.log(1 - random.nextDouble()) / lambda;
                if (t * 7 >= tDays) {
                    break;
                }
                x++;
                last = t;
                if (random.nextDouble() < p) {
                    break;
                }
            }
            histories.add(new PurchaseHistory(x, x == 0 ? 0 : Math.floor(last * 7) / 7, tDays / 7.0));
        }
        return histories;
    }

    @Test
    void theGradientSearchFindsTheMaximumOfThePerCustomerLikelihood() {
        BetaDistribution beta = new BetaDistribution(1.2, 3.5);
        Random draws = new Random(8);
        List<PurchaseHistory> histories = simulate(7, 4000, 0.8, 3,
                () -> beta.inverseCumulativeProbability(draws.nextDouble()));
        MaximumLikelihood.Fit fit = BgNbd.fit(histories);
        assertFalse(fit.limit(), () -> fit.note("BG/NBD"));
        // Nelder-Mead (no gradient) on the papers' likelihood summed customer by customer, from the fit's start
        MaximumLikelihood.Fit plain = MaximumLikelihood.fit("bgnbd", "BG/NBD", BgNbd.NAMES, new double[] {1, 3, 1, 1},
                p -> LikelihoodTest.bgNbdOneByOne(histories, p[0], p[1], p[2], p[3]));
        for (int i = 0; i < 4; i++) {
            assertEquals(plain.estimates()[i], fit.estimates()[i], 1e-5 * plain.estimates()[i], BgNbd.NAMES[i]);
            assertEquals(plain.standardErrors()[i], fit.standardErrors()[i], 1e-3 * plain.standardErrors()[i],
                    "se " + BgNbd.NAMES[i]);
        }
        assertEquals(plain.logLikelihood(), fit.logLikelihood(), 1e-9 * Math.abs(plain.logLikelihood()));
        // and near the truth
        assertEquals(0.8, fit.estimates()[0], 0.15);
        assertEquals(1.2 / 4.7, fit.estimates()[2] / (fit.estimates()[2] + fit.estimates()[3]), 0.05);
    }

    @Test
    void oneChanceOfDroppingOutForEveryoneIsTheGeometricLimit() {
        // a seed whose sample, like the bench's generated data, has less spread in dropping out than any beta gives
        List<PurchaseHistory> histories = simulate(2, 4000, 0.8, 3, () -> 0.15);
        MaximumLikelihood.Fit fit = BgNbd.fit(histories);
        assertTrue(fit.limit(), () -> java.util.Arrays.toString(fit.estimates()));
        double[] e = fit.estimates();
        assertEquals(BgNbd.LIMIT_SCALE, e[2] + e[3], 1e-6 * BgNbd.LIMIT_SCALE);
        double p = e[2] / (e[2] + e[3]);
        assertEquals(0.15, p, 0.03);
        assertTrue(Double.isNaN(fit.standardErrors()[0]));
        String note = fit.note("BG/NBD");
        assertTrue(note.startsWith("note: BG/NBD's likelihood has no finite maximum (r "), note);
        assertTrue(fit.note("BG/NBD").contains(String.format(java.util.Locale.ROOT, "a / (a + b) = %.4g", p)),
                fit.note("BG/NBD"));
        // the supremum: no point Nelder-Mead finds on the per-customer likelihood is more likely
        MaximumLikelihood.Fit plain = MaximumLikelihood.fit("bgnbd", "BG/NBD", BgNbd.NAMES, new double[] {1, 3, 1, 1},
                q -> LikelihoodTest.bgNbdOneByOne(histories, q[0], q[1], q[2], q[3]));
        assertTrue(plain.logLikelihood() <= fit.logLikelihood() + 1e-8 * Math.abs(fit.logLikelihood()),
                () -> plain.logLikelihood() + " > " + fit.logLikelihood());
        assertEquals(LikelihoodTest.bgNbdOneByOne(histories, e[0], e[1], e[2], e[3]), fit.logLikelihood(),
                1e-8 * Math.abs(fit.logLikelihood()));
        // the predictions are the limit's closed forms: as the series at a + b = 1e10, to 1e-6
        BgNbd model = BgNbd.of(fit);
        assertTrue(model.geometric());
        BgNbd further = new BgNbd(e[0], e[1], p * 1e10, (1 - p) * 1e10);
        for (PurchaseHistory h : histories.subList(0, 50)) {
            double expected = further.expectedPurchases(52.14, h);
            assertEquals(expected, model.expectedPurchases(52.14, h), 1e-6 * Math.max(1, expected));
            assertEquals(further.pAlive(h), model.pAlive(h), 1e-6);
        }
    }

    @Test
    void oneRateAndOneChanceOfDroppingOutForEveryoneIsTheDoubleLimit() {
        // homogeneous customers: one purchase rate (a gamma of shape 1e7 is that rate to 3e-4), one chance of
        // dropping out; a seed whose sample has less spread than any gamma and beta give in both (other samples of
        // the same story have a finite r and alpha, or a finite a and b)
        List<PurchaseHistory> histories = simulate(4, 4000, 1e7, 1e7 / 0.6, () -> 0.15);
        MaximumLikelihood.Fit fit = BgNbd.fit(histories);
        assertTrue(fit.limit(), () -> java.util.Arrays.toString(fit.estimates()));
        assertEquals(BgNbd.POISSON, fit.limitKind(), () -> java.util.Arrays.toString(fit.estimates()));
        double[] e = fit.estimates();
        double lambda = e[0] / e[1];
        double p = e[2] / (e[2] + e[3]);
        assertEquals(0.6, lambda, 0.05);
        assertEquals(0.15, p, 0.03);
        assertEquals(BgNbd.POISSON_SCALE, e[1], 1e-6 * BgNbd.POISSON_SCALE);
        assertEquals(BgNbd.LIMIT_SCALE, e[2] + e[3], 1e-6 * BgNbd.LIMIT_SCALE);
        String note = fit.note("BG/NBD");
        assertTrue(note.contains(String.format(java.util.Locale.ROOT, "r / alpha = %.4g a week", lambda)), note);
        // the supremum: the model's log-likelihood approaches it far out along both pairs (alpha 1e6, a + b 1e8), and
        // no point a long Nelder-Mead search finds on the likelihood summed customer by customer is more likely
        double far = new BgNbd.Likelihood(histories).of(lambda * 1e6, 1e6, p * 1e8, (1 - p) * 1e8);
        assertEquals(far, fit.logLikelihood(), 1e-6 * Math.abs(fit.logLikelihood()));
        MaximumLikelihood.Fit plain = MaximumLikelihood.fit("bgnbd", "BG/NBD", BgNbd.NAMES, new double[] {1, 3, 1, 1},
                q -> LikelihoodTest.bgNbdOneByOne(histories, q[0], q[1], q[2], q[3]));
        assertTrue(plain.logLikelihood() <= fit.logLikelihood() + 1e-8 * Math.abs(fit.logLikelihood()),
                () -> plain.logLikelihood() + " > " + fit.logLikelihood());
        // the predictions are the limit's closed forms: as the model's expressions far out, to 1e-6
        BgNbd model = BgNbd.of(fit);
        assertTrue(model.poisson() && model.geometric());
        BgNbd further = new BgNbd(lambda * 1e8, 1e8, p * 1e10, (1 - p) * 1e10);
        for (PurchaseHistory h : histories.subList(0, 50)) {
            double expected = further.expectedPurchases(52.14, h);
            assertEquals(expected, model.expectedPurchases(52.14, h), 1e-6 * Math.max(1, expected));
            assertEquals(further.pAlive(h), model.pAlive(h), 1e-6);
        }
        assertEquals(further.expectedPurchasesUpTo(52.14), model.expectedPurchasesUpTo(52.14), 1e-6);
    }
}
