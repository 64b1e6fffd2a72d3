package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** 2F1 against its closed forms (Abramowitz &amp; Stegun 15.1), and BG/NBD's use of Euler's transformation. */
class HypergeometricTest {
    private static void close(double expected, double actual) {
        assertEquals(expected, actual, 1e-13 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void matchesTheClosedForms() {
        for (double z : new double[] {0.001, 0.1, 0.5, 0.9, 0.99}) {
            close(-Math.log(1 - z) / z, Hypergeometric.f21(1, 1, 2, z));                      // 15.1.3
            close(Math.pow(1 - z, -0.7), Hypergeometric.f21(0.7, 3.2, 3.2, z));               // 15.1.8
            double s = Math.sqrt(z);
            close(Math.asin(s) / s, Hypergeometric.f21(0.5, 0.5, 1.5, z));                    // 15.1.6
            close(0.5 * Math.log((1 + s) / (1 - s)) / s, Hypergeometric.f21(0.5, 1, 1.5, z)); // 15.1.5
            // a terminating series: a = -2
            close(1 - 2 * 1.3 * z / 2.4 + 1.3 * 2.3 * z * z / (2.4 * 3.4), Hypergeometric.f21(-2, 1.3, 2.4, z));
        }
        close(1, Hypergeometric.f21(2.5, 3.5, 1.5, 0));
    }

    @Test
    void largeParametersWhoseTermsGrowBeforeTheyShrink() {
        // 2F1(a, b; b; z) = (1 - z)^-a with a = 150: the terms grow to ~1e38 first
        assertEquals(Math.pow(0.5, -150), Hypergeometric.f21(150, 40, 40, 0.5), 1e-11 * Math.pow(0.5, -150));
    }

    @Test
    void refusesZOutsideZeroToOne() {
        assertThrows(ArithmeticException.class, () -> Hypergeometric.f21(1, 1, 2, 1));
        assertThrows(ArithmeticException.class, () -> Hypergeometric.f21(1, 1, 2, -0.1));
        assertThrows(ArithmeticException.class, () -> Hypergeometric.f21(1, 1, 2, Double.NaN));
    }

    /** expectedPurchases (Euler's form of 2F1) equals the paper's equation 10 with the plain series. */
    @Test
    void expectedPurchasesEqualsEquationTenWithThePlainSeries() {
        BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
        for (long x : new long[] {0, 1, 2, 7, 30}) {
            PurchaseHistory h = new PurchaseHistory(x, x == 0 ? 0 : 30.43, 38.86);
            for (double t : new double[] {4.345, 52.14, 200}) {
                double z = t / (m.alpha() + h.t() + t);
                double hyp = Hypergeometric.f21(m.r() + x, m.b() + x, m.a() + m.b() + x - 1, z);
                double numerator = (m.a() + m.b() + x - 1) / (m.a() - 1)
                        * (1 - Math.pow((m.alpha() + h.t()) / (m.alpha() + h.t() + t), m.r() + x) * hyp);
                double denominator = 1 + (x > 0 ? m.a() / (m.b() + x - 1)
                        * Math.pow((m.alpha() + h.t()) / (m.alpha() + h.recency()), m.r() + x) : 0);
                double expected = numerator / denominator;
                assertEquals(expected, m.expectedPurchases(t, h), 1e-10 * Math.max(1, expected), () -> x + " " + t);
            }
        }
    }

    /** A limit fit (a and b huge): the plain series is summed; scipy.special.hyp2f1 in equation 10 gives these. */
    @Test
    void expectedPurchasesOfALimitFit() {
        BgNbd m = new BgNbd(0.5913, 0.7981, 6432273.7927, 83987685.6080);
        double[][] cases = {{1, 0.6397542538058452}, {5, 0.5673305483819916}, {20, 7.17301040409242e-05}};
        for (double[] c : cases) {
            double actual = m.expectedPurchases(52.14, new PurchaseHistory((long) c[0], 50, 100));
            assertEquals(c[1], actual, 1e-11 * c[1], () -> "x = " + c[0]);
        }
    }

    /** Several z at once: the same sums, to the last bit, as one z at a time. */
    @Test
    void severalZAtOnceAreTheSumsOfOneAtATime() {
        double[] z = {0.9, 0.001, 0.5, 0, 0.99, 0.3};
        for (double[] abc : new double[][] {{1, 1, 2}, {0.5, 0.5, 1.5}, {150, 40, 40}, {-2, 1.3, 2.4},
                {2.1, 9.4, 11.3}, {0.59, 8.4e7, 9.1e7}}) {
            double[] all = Hypergeometric.f21(abc[0], abc[1], abc[2], z);
            for (int i = 0; i < z.length; i++) {
                assertEquals(Hypergeometric.f21(abc[0], abc[1], abc[2], z[i]), all[i], 0.0, abc[0] + " " + z[i]);
            }
        }
        assertThrows(ArithmeticException.class, () -> Hypergeometric.f21(1, 1, 2, new double[] {0.5, 1}));
    }

    /** Every month's expected purchases at once equal them month by month, for a fit and for a limit fit. */
    @Test
    void expectedPurchasesByEveryMonthAtOnce() {
        double[] weeks = new double[24];
        for (int i = 0; i < weeks.length; i++) {
            weeks[i] = (i + 1) * 4.345;
        }
        for (BgNbd m : new BgNbd[] {new BgNbd(0.243, 4.414, 0.793, 2.426),
                new BgNbd(0.5913, 0.7981, 7.112e6, 9.289e7)}) {
            for (long x : new long[] {0, 1, 2, 7, 30}) {
                PurchaseHistory h = new PurchaseHistory(x, x == 0 ? 0 : 30.43, 38.86);
                double[] all = m.expectedPurchases(weeks, h);
                for (int i = 0; i < weeks.length; i++) {
                    assertEquals(m.expectedPurchases(weeks[i], h), all[i], 0.0, x + " " + weeks[i]);
                }
            }
        }
    }

    /**
     * The geometric limit's closed forms are the limits of equation 10 and of p_alive: equal to the series with a + b
     * = 1e12 (the same p), and near scipy's figures for a + b = 9e7 (above).
     */
    @Test
    void theGeometricLimitsClosedForms() {
        double p = 0.0711;
        BgNbd limit = BgNbd.geometric(0.5913, 0.7981, p * 1e8, (1 - p) * 1e8);
        BgNbd near = new BgNbd(0.5913, 0.7981, p * 1e12, (1 - p) * 1e12);
        double[] weeks = {4.345, 26, 52.14, 300};
        for (long x : new long[] {0, 1, 2, 5, 20, 60}) {
            PurchaseHistory h = new PurchaseHistory(x, x == 0 ? 0 : 50, 100);
            double[] all = limit.expectedPurchases(weeks, h);
            for (int i = 0; i < weeks.length; i++) {
                double expected = near.expectedPurchases(weeks[i], h);
                assertEquals(expected, limit.expectedPurchases(weeks[i], h), 1e-8 * Math.max(1e-3, expected),
                        () -> "x " + x);
                assertEquals(limit.expectedPurchases(weeks[i], h), all[i], 0.0);
            }
            assertEquals(near.pAlive(h), limit.pAlive(h), 1e-9);
        }
        BgNbd scipy = BgNbd.geometric(0.5913, 0.7981, 6432273.7927, 83987685.6080);
        double[][] cases = {{1, 0.6397542538058452}, {5, 0.5673305483819916}, {20, 7.17301040409242e-05}};
        for (double[] c : cases) {
            double actual = scipy.expectedPurchases(52.14, new PurchaseHistory((long) c[0], 50, 100));
            assertEquals(c[1], actual, 1e-5 * c[1], () -> "x = " + c[0]);
        }
    }
}
