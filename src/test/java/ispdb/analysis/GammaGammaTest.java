package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * Gamma-Gamma's common-spend limit (q and v without bound, q / v = nu fixed): its log-likelihood is the model's
 * limit, its gradient the analytic one, the fit of spend alike for everyone is that limit, and the conditional mean
 * is the limit's population mean for everyone; customers without a positive mean spend get the population mean.
 */
class GammaGammaTest {
    /** Repeat customers' spends drawn alike for everyone (scripts/generate-data's amounts, in cents). */
    static List<GammaGamma.Spend> alike(long seed, int customers) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GammaGamma.Spend> spends = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            int x = 1 + random.nextInt(7);
            long cents = 0;
            for (int d = 0; d < x; d++) {
                double u = random.nextDouble();
                cents += 500 + (long) (u * u * 49_501);
            }
            spends.add(new GammaGamma.Spend(x, cents / 100.0 / x));
        }
        return spends;
    }

    /** The per-customer limit, written again: x m is gamma(p x, nu), m's density. */
    static double limitOneByOne(List<GammaGamma.Spend> spends, double p, double nu) {
        double ll = 0;
        for (GammaGamma.Spend s : spends) {
            double px = p * s.frequency();
            double total = s.frequency() * s.monetaryValue();
            ll += Math.log(s.frequency()) + px * Math.log(nu) + (px - 1) * Math.log(total) - nu * total
                    - Gamma.logGamma(px);
        }
        return ll;
    }

    @Test
    void theLimitIsTheModelsLimitWithItsGradient() {
        List<GammaGamma.Spend> spends = alike(7, 200);
        GammaGamma.Likelihood likelihood = new GammaGamma.Likelihood(spends);
        double p = 1.3;
        double nu = 0.006;
        double limit = likelihood.limit(new double[] {p, nu}, null);
        assertEquals(limitOneByOne(spends, p, nu), limit, 1e-9 * Math.abs(limit));
        // the model approaches it as 1 / q
        double gap3 = limit - likelihood.of(p, 1e3, 1e3 / nu);
        double gap4 = limit - likelihood.of(p, 1e4, 1e4 / nu);
        assertEquals(10, gap3 / gap4, 0.5, gap3 + " " + gap4);
        assertTrue(Math.abs(limit - likelihood.of(p, 1e6, 1e6 / nu)) < Math.abs(gap4) / 50);
        double[] gradient = new double[2];
        likelihood.limit(new double[] {p, nu}, gradient);
        for (int i = 0; i < 2; i++) {
            double[] plus = {p, nu};
            double[] minus = {p, nu};
            double h = 1e-6 * plus[i];
            plus[i] += h;
            minus[i] -= h;
            double numeric = (likelihood.limit(plus, null) - likelihood.limit(minus, null)) / (2 * h);
            assertEquals(numeric, gradient[i], 1e-6 * Math.max(Math.abs(numeric), Math.abs(limit) / (i == 0 ? p : nu)));
        }
    }

    @Test
    void spendAlikeIsFittedAsTheLimitWhoseMeanIsTheRepeatPurchasesMean() {
        List<GammaGamma.Spend> spends = alike(3, 300);
        MaximumLikelihood.Fit fit = GammaGamma.fit(spends);
        assertTrue(fit.limit(), fit::toString);
        assertEquals(GammaGamma.COMMON, fit.limitKind());
        assertEquals(1e8, fit.estimates()[1], 1e-4);
        assertTrue(fit.note("Gamma-Gamma").contains("towards the limit where every customer's purchases have the same "
                + "mean spend"), fit.note("Gamma-Gamma"));
        GammaGamma model = GammaGamma.of(fit);
        double spent = 0;
        double purchases = 0;
        for (GammaGamma.Spend s : spends) {
            spent += s.frequency() * s.monetaryValue();
            purchases += s.frequency();
        }
        // nu's maximum given p is p sum x / sum x m: the mean is p / nu = sum x m / sum x
        assertEquals(spent / purchases, model.populationMean(), 1e-9 * spent / purchases);
        assertEquals(model.populationMean(), model.expectedAverageValue(5, 1000), 0);
        assertEquals(model.populationMean(), model.expectedAverageValue(0, 0), 0);
        // the fit is the same from run to run
        assertEquals(java.util.Arrays.toString(fit.estimates()),
                java.util.Arrays.toString(GammaGamma.fit(spends).estimates()));
    }

    @Test
    void customersWithoutPositiveSpendGetThePopulationMean() {
        GammaGamma model = new GammaGamma(6.25, 3.74, 15.44);
        double mean = 15.44 * 6.25 / 2.74;
        assertEquals(mean, model.populationMean(), 1e-12);
        assertEquals(mean, model.expectedAverageValue(3, -51.76), 0);
        assertEquals(mean, model.expectedAverageValue(3, 0), 0);
        assertEquals(mean, model.expectedAverageValue(0, 0), 0);
        double w = 6.25 * 3 / (6.25 * 3 + 2.74);
        assertEquals((1 - w) * mean + w * 40, model.expectedAverageValue(3, 40), 1e-12);
    }
}
