package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Pareto/NBD and MBG/NBD on the CDNOW sample's 39-week calibration (as of 1997-09-30), against the published
 * Pareto/NBD estimates and against lifetimes itself.
 *
 * <p>The lifetimes numbers below were made by running lifetimes (CamDavidsonPilon/lifetimes at 4f2833f, with autograd
 * at bff107b) under Debian 12's python3 1.24.2 numpy, 1.10.1 scipy and 1.5.3 pandas (dill, which only lifetimes'
 * save/load uses, stubbed by an empty module) on CDNOW_sample.txt summarised by lifetimes' own
 * {@code summary_data_from_transaction_data(..., observation_period_end='1997-09-30', freq='D')}, recency and T then
 * divided by 7 (weeks; the same as {@link #cdnow()} and rfm-summary): {@code ModifiedBetaGeoFitter().fit(frequency,
 * recency, T)} with its defaults ("default"), and, since BFGS stops at a gradient of 1e-7 there, also
 * scipy.optimize.minimize on the fitter's own {@code _negative_log_likelihood} with its autograd gradient to tol 1e-12
 * ("tight", its standard errors from autograd's Hessian there as the fitter computes them); {@code
 * ParetoNBDFitter().fit(...)} after {@code numpy.random.seed(0)} ("default": Nelder-Mead to tol 1e-4) and again from
 * there to tol 1e-12 ("tight"). Then each fitter's conditional_probability_alive,
 * conditional_expected_number_of_purchases_up_to_time(52.14, ...) (12 months of 4.345 weeks) and
 * expected_number_of_purchases_up_to_time, and minus its _negative_log_likelihood on the summary in weeks (times
 * the customers for MBG/NBD, which divides by them).
 */
class PurchaseModelsTest {
    static final double WEEKS = 12 * 4.345;

    /** The CDNOW sample as of 1997-09-30 (periods of a day, weeks of days / 7), computed here from the fixture. */
    static List<PurchaseHistory> cdnow() {
        LocalDate asOf = LocalDate.parse("1997-09-30");
        Map<Long, TreeSet<LocalDate>> days = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                PurchaseModelsTest.class.getResourceAsStream("/ispdb/cdnow/fact_transaction.csv.gz")),
                StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                LocalDate day = LocalDate.parse(f[3].substring(0, 10));
                if (!day.isAfter(asOf)) {
                    days.computeIfAbsent(Long.parseLong(f[1]), k -> new TreeSet<>()).add(day);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<PurchaseHistory> histories = new ArrayList<>();
        for (TreeSet<LocalDate> d : days.values()) {
            histories.add(new PurchaseHistory(d.size() - 1, ChronoUnit.DAYS.between(d.first(), d.last()) / 7.0,
                    ChronoUnit.DAYS.between(d.first(), asOf) / 7.0));
        }
        return histories;
    }

    /** lifetimes' customers: id, x, t_x, T, p_alive, expected purchases in 52.14 weeks. */
    private static final double[][] MBG_DEFAULT = {
            {1, 2, 30.428571428571427, 38.857142857142854, 0.7061384907953507, 1.6003643249603345},
            {2, 1, 1.7142857142857142, 38.857142857142854, 0.17095108033104392, 0.2407957842266516},
            {3, 0, 0.0, 38.857142857142854, 0.38972310430887597, 0.19809856279319465},
            {6, 7, 29.428571428571427, 38.857142857142854, 0.622679859370435, 3.9722457136431992},
            {18, 1, 4.857142857142857, 38.857142857142854, 0.2557731281541836, 0.36027318960912247},
            {1516, 26, 30.857142857142858, 31.0, 0.9654846449716112, 24.044001923689873},
            {2357, 0, 0.0, 27.0, 0.4284621080883599, 0.2813987966259209}};
    private static final double[] MBG_DEFAULT_PARAMS = {0.5248429031495594, 6.1830817643990565, 0.8913595172712871,
            1.6140029311985913};
    private static final double[][] MBG_TIGHT = {
            {1, 2, 30.428571428571427, 38.857142857142854, 0.7061384834275743, 1.6003643438417934},
            {2, 1, 1.7142857142857142, 38.857142857142854, 0.17095108474843346, 0.24079580680355137},
            {3, 0, 0.0, 38.857142857142854, 0.3897229988454331, 0.19809857426039337},
            {6, 7, 29.428571428571427, 38.857142857142854, 0.6226798961524376, 3.972245916860493},
            {18, 1, 4.857142857142857, 38.857142857142854, 0.2557731145593403, 0.3602731949294513},
            {1516, 26, 30.857142857142858, 31.0, 0.9654846490622623, 24.04400176233883},
            {2357, 0, 0.0, 27.0, 0.4284620127945316, 0.2813988191623048}};
    private static final double[] MBG_TIGHT_PARAMS = {0.5248431246614946, 6.183084980920595, 0.8913593954013044,
            1.6140023246056712};
    private static final double[] MBG_TIGHT_SE = {0.08326818882463762, 0.6956205452071534, 0.15478992618873733,
            0.5374947878230509};
    private static final double MBG_TIGHT_LL = -9582.135715553748;
    /** expected_number_of_purchases_up_to_time at 1, 10, 39 and 78 weeks, at the tight fit. */
    private static final double[] MBG_TIGHT_UP_TO = {0.05306032339536208, 0.4332509551780888, 1.1822797515088066,
            1.8036304201417332};

    private static final double[][] PARETO_DEFAULT = {
            {1, 2, 30.428571428571427, 38.857142857142854, 0.8691376233541579, 1.8550005427769074},
            {2, 1, 1.7142857142857142, 38.857142857142854, 0.1679965937838618, 0.2181257365136101},
            {3, 0, 0.0, 38.857142857142854, 0.2951127215250646, 0.13648593839519615},
            {6, 7, 29.428571428571427, 38.857142857142854, 0.749458565100891, 4.7319552913555105},
            {18, 1, 4.857142857142857, 38.857142857142854, 0.2511983603808346, 0.32615439477049896},
            {1516, 26, 30.857142857142858, 31.0, 0.9978734596697666, 25.510370592503833},
            {2357, 0, 0.0, 27.0, 0.38373701937077553, 0.22170028966339506}};
    private static final double[] PARETO_DEFAULT_PARAMS = {0.5532766817595332, 10.577732093878435, 0.6062090240722409,
            11.667659192544257};
    private static final double[] PARETO_DEFAULT_UP_TO = {0.0510060581673587, 0.4277892641224575, 1.213393206174197,
            1.9098575407740286};
    private static final double[] PARETO_TIGHT_PARAMS = {0.5532770721247802, 10.57768380465131, 0.6062399888968292,
            11.668734947350877};
    private static final double PARETO_TIGHT_LL = -9594.976178939543;

    private static boolean near(double expected, double actual, double relative) {
        return Math.abs(expected - actual) <= relative * Math.abs(expected);
    }

    private static void assertNear(double expected, double actual, double relative, String what) {
        assertTrue(near(expected, actual, relative), () -> what + ": expected " + expected + ", got " + actual
                + " (" + Math.abs(expected - actual) / Math.abs(expected) + " relative)");
    }

    /** The model's p_alive and expected purchases in 52.14 weeks equal lifetimes' for each customer row. */
    private static void assertCustomers(PurchaseModel model, double[][] rows, double relative) {
        for (double[] c : rows) {
            PurchaseHistory h = new PurchaseHistory((long) c[1], c[2], c[3]);
            assertNear(c[4], model.pAlive(h), relative, "p_alive of " + (long) c[0]);
            assertNear(c[5], model.expectedPurchases(new double[] {WEEKS}, h)[0], relative,
                    "expected purchases of " + (long) c[0]);
        }
    }

    @Test
    void theSummaryIsLifetimes() {
        List<PurchaseHistory> cdnow = cdnow();
        assertEquals(2357, cdnow.size());
        assertEquals(946, cdnow.stream().filter(h -> h.frequency() > 0).count());
        for (double[][] rows : new double[][][] {MBG_DEFAULT, PARETO_DEFAULT}) {
            for (double[] c : rows) {
                PurchaseHistory h = cdnow.get((int) c[0] - 1);
                assertEquals(new PurchaseHistory((long) c[1], c[2], c[3]), h);
            }
        }
    }

    @Test
    void paretoNbdGivesThePublishedEstimatesAndLifetimes() {
        MaximumLikelihood.Fit fit = ParetoNbd.fit(cdnow());
        assertFalse(fit.limit(), () -> fit.note("Pareto/NBD"));
        double[] e = fit.estimates();
        // Fader, Hardie & Lee 2005 (the MATLAB note and "Counting your customers the easy way")
        String[] published = {"0.55", "10.58", "0.61", "11.67"};
        for (int i = 0; i < 4; i++) {
            BigDecimal p = new BigDecimal(published[i]);
            assertEquals(p, BigDecimal.valueOf(e[i]).setScale(p.scale(), RoundingMode.HALF_EVEN), ParetoNbd.NAMES[i]);
            // lifetimes to tol 1e-12, and with its defaults (Nelder-Mead to tol 1e-4)
            assertNear(PARETO_TIGHT_PARAMS[i], e[i], 1e-6, ParetoNbd.NAMES[i]);
            assertNear(PARETO_DEFAULT_PARAMS[i], e[i], 2e-4, ParetoNbd.NAMES[i]);
            assertTrue(fit.standardErrors()[i] > 0 && fit.standardErrors()[i] < e[i], ParetoNbd.NAMES[i]);
        }
        assertNear(PARETO_TIGHT_LL, fit.logLikelihood(), 1e-12, "log-likelihood");
        // at lifetimes' own estimates: its p_alive, expected purchases, expectation of a new customer
        ParetoNbd lifetimes = new ParetoNbd(PARETO_DEFAULT_PARAMS[0], PARETO_DEFAULT_PARAMS[1],
                PARETO_DEFAULT_PARAMS[2], PARETO_DEFAULT_PARAMS[3]);
        assertCustomers(lifetimes, PARETO_DEFAULT, 1e-10);
        double[] weeks = {1, 10, 39, 78};
        for (int i = 0; i < weeks.length; i++) {
            assertNear(PARETO_DEFAULT_UP_TO[i], lifetimes.expectedPurchasesUpTo(weeks[i]), 1e-12, "up to " + weeks[i]);
        }
        // at ispdb's fit, lifetimes' to 1e-6 relative: the same maximum
        assertCustomers(ParetoNbd.of(fit), PARETO_DEFAULT, 2e-4);
    }

    @Test
    void paretoNbdLikelihoodIsLifetimesOnBothSidesOfAlphaEqualsBeta() {
        ParetoNbd.Likelihood likelihood = new ParetoNbd.Likelihood(cdnow());
        // lifetimes' -ParetoNBDFitter._negative_log_likelihood(params, ...) with weights 1
        assertNear(-9595.010778084481, likelihood.of(0.55, 10.58, 0.61, 11.67), 1e-12, "alpha < beta");
        assertNear(-9610.598402497875, likelihood.of(0.55, 12.0, 0.61, 9.0), 1e-12, "alpha > beta");
        assertNear(-12233.732549171238, likelihood.of(2.0, 3.0, 1.5, 3.0), 1e-12, "alpha = beta");
        // continuous across alpha = beta
        double below = likelihood.of(2.0, 3.0 - 1e-9, 1.5, 3.0);
        double above = likelihood.of(2.0, 3.0 + 1e-9, 1.5, 3.0);
        assertTrue(Math.abs(below - above) < 1e-4, below + " " + above);
    }

    @Test
    void theGradientsAreTheLikelihoodsDerivatives() {
        List<PurchaseHistory> cdnow = cdnow();
        ParetoNbd.Likelihood pareto = new ParetoNbd.Likelihood(cdnow);
        for (double[] p : new double[][] {{0.55, 10.58, 0.61, 11.67}, {0.55, 12.0, 0.61, 9.0}, {2, 3, 1.5, 3},
                {1.3, 4, 3, 40}, {0.4, 40, 0.2, 5}}) {
            assertGradient(pareto, p);
        }
        MbgNbd.Likelihood mbg = new MbgNbd.Likelihood(cdnow);
        for (double[] p : new double[][] {{0.52, 6.18, 0.89, 1.61}, {1.5, 3.0, 2.5, 0.7}}) {
            assertGradient(mbg, p);
        }
    }

    private static void assertGradient(MaximumLikelihood.Differentiable likelihood, double[] p) {
        double[] gradient = new double[4];
        likelihood.at(p, gradient);
        for (int i = 0; i < 4; i++) {
            double h = 1e-6 * p[i];
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (likelihood.at(plus, null) - likelihood.at(minus, null)) / (2 * h);
            int at = i;
            assertTrue(Math.abs(numeric - gradient[i]) <= 1e-5 * Math.max(1, Math.abs(numeric)),
                    () -> java.util.Arrays.toString(p) + " d" + at + ": " + gradient[at] + " vs " + numeric);
        }
    }

    @Test
    void mbgNbdIsLifetimesModifiedBetaGeoFitter() {
        MaximumLikelihood.Fit fit = MbgNbd.fit(cdnow());
        assertFalse(fit.limit(), () -> fit.note("MBG/NBD"));
        double[] e = fit.estimates();
        for (int i = 0; i < 4; i++) {
            assertNear(MBG_DEFAULT_PARAMS[i], e[i], 1e-6, MbgNbd.NAMES[i]);
            // the tight fit stops for want of precision at a gradient of 3e-9 per customer: to 1e-7
            assertNear(MBG_TIGHT_PARAMS[i], e[i], 1e-7, MbgNbd.NAMES[i]);
            assertNear(MBG_TIGHT_SE[i], fit.standardErrors()[i], 1e-6, "se of " + MbgNbd.NAMES[i]);
        }
        assertNear(MBG_TIGHT_LL, fit.logLikelihood(), 1e-12, "log-likelihood");
        MbgNbd model = MbgNbd.of(fit);
        assertCustomers(model, MBG_DEFAULT, 1e-6);
        assertCustomers(model, MBG_TIGHT, 1e-7);
        // at lifetimes' own estimates, its functions to rounding
        MbgNbd tight = new MbgNbd(MBG_TIGHT_PARAMS[0], MBG_TIGHT_PARAMS[1], MBG_TIGHT_PARAMS[2], MBG_TIGHT_PARAMS[3]);
        assertCustomers(tight, MBG_TIGHT, 1e-12);
        double[] weeks = {1, 10, 39, 78};
        for (int i = 0; i < weeks.length; i++) {
            assertNear(MBG_TIGHT_UP_TO[i], tight.expectedPurchasesUpTo(weeks[i]), 1e-12, "up to " + weeks[i]);
        }
        // lifetimes' -_negative_log_likelihood(log params, ...) times the customers
        MbgNbd.Likelihood likelihood = new MbgNbd.Likelihood(cdnow());
        assertNear(-9582.165821396251, likelihood.of(0.52, 6.18, 0.89, 1.61), 1e-12, "log-likelihood");
        assertNear(-10518.234960184705, likelihood.of(1.5, 3.0, 2.5, 0.7), 1e-12, "log-likelihood");
    }

    @Test
    void theUnconditionalExpectationsAreTheConditionalOnesOfANewCustomer() {
        // Pareto/NBD: E[X(t)] at s = 1 is the limit of s near 1
        ParetoNbd one = new ParetoNbd(0.55, 10.58, 1, 11.67);
        ParetoNbd near = new ParetoNbd(0.55, 10.58, 1 + 1e-7, 11.67);
        assertNear(near.expectedPurchasesUpTo(52), one.expectedPurchasesUpTo(52), 1e-6, "s = 1");
        assertEquals(0.55 / 10.58 * 11.67 * Math.log((11.67 + 52) / 11.67), one.expectedPurchasesUpTo(52), 1e-12);
        ParetoNbd m = new ParetoNbd(0.55, 10.58, 0.61, 11.67);
        double[] conditional = m.expectedPurchases(new double[] {52}, new PurchaseHistory(0, 0, 0));
        assertNear(m.expectedPurchasesUpTo(52), conditional[0], 1e-12, "Pareto/NBD at T = 0");
        MbgNbd mbg = new MbgNbd(0.52, 6.18, 0.89, 1.61);
        assertEquals(0, mbg.expectedPurchases(new double[] {0}, new PurchaseHistory(1, 1, 2))[0]);
    }

    /**
     * Everyone alike (three purchase days, the last one T): the likelihoods have no finite maximum, the fits are
     * limits with unknown standard errors, and the predictions are finite and the same for everyone.
     */
    @Test
    void customersAllAlikeGiveALimitFit() {
        List<PurchaseHistory> alike = java.util.Collections.nCopies(6, new PurchaseHistory(2, 20 / 7.0, 20 / 7.0));
        for (PurchaseModel.Kind kind : List.of(PurchaseModel.Kind.PARETO_NBD, PurchaseModel.Kind.MBG_NBD)) {
            MaximumLikelihood.Fit fit = kind.fit(alike);
            assertTrue(fit.limit(), kind::title);
            assertTrue(fit.note(kind.title()).contains("has no finite maximum"), kind::title);
            for (double se : fit.standardErrors()) {
                assertTrue(Double.isNaN(se), kind::title);
            }
            PurchaseModel model = kind.of(fit);
            double pAlive = model.pAlive(alike.get(0));
            double purchases = model.expectedPurchases(new double[] {WEEKS}, alike.get(0))[0];
            assertTrue(pAlive > 0.99 && pAlive <= 1, kind.title() + " " + pAlive);
            assertTrue(Double.isFinite(purchases) && purchases > 0, kind.title() + " " + purchases);
        }
    }

    /**
     * Pareto/NBD data simulated as the model says (rates gamma(r, alpha), exponential lifetimes with gamma(s, beta)
     * rates, T 10 to 60 weeks, whole days): the fit finds the parameters it was made with, within 3 standard errors,
     * with alpha above beta and below it.
     */
    @Test
    void paretoNbdFindsTheParametersOfSimulatedData() {
        for (double[] truth : new double[][] {{0.8, 8, 0.7, 4}, {1.2, 3, 1.5, 9}}) {
            java.util.Random random = new java.util.Random(11);
            org.hipparchus.distribution.continuous.GammaDistribution rates =
                    new org.hipparchus.distribution.continuous.GammaDistribution(truth[0], 1 / truth[1]);
            org.hipparchus.distribution.continuous.GammaDistribution deaths =
                    new org.hipparchus.distribution.continuous.GammaDistribution(truth[2], 1 / truth[3]);
            List<PurchaseHistory> histories = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                int tDays = 70 + random.nextInt(351);
                double lambda = rates.inverseCumulativeProbability(random.nextDouble());
                double mu = deaths.inverseCumulativeProbability(random.nextDouble());
                double end = Math.min(-Math.log(1 - random.nextDouble()) / mu, tDays / 7.0);
                long x = 0;
                double last = 0;
                for (double at = -Math.log(1 - random.nextDouble()) / lambda; at < end;
                        at += -Math.log(1 - random.nextDouble()) / lambda) {
                    x++;
                    last = at;
                }
                histories.add(new PurchaseHistory(x, Math.floor(last * 7) / 7, tDays / 7.0));
            }
            MaximumLikelihood.Fit fit = ParetoNbd.fit(histories);
            assertFalse(fit.limit(), () -> fit.note("Pareto/NBD"));
            for (int i = 0; i < 4; i++) {
                int at = i;
                assertTrue(Math.abs(fit.estimates()[i] - truth[i]) < 3 * fit.standardErrors()[i],
                        () -> ParetoNbd.NAMES[at] + " " + fit.estimates()[at] + " +- " + fit.standardErrors()[at]
                                + ", made with " + truth[at]);
            }
        }
    }
}
