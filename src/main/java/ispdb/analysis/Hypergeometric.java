package ispdb.analysis;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1, which BG/NBD's expected purchases need and
 * neither Hipparchus nor Commons Math provides: its power series, summed until a term no longer changes the sum.
 */
public final class Hypergeometric {
    /** Terms summed at most: the series converges like z^n, so z = 0.999 needs about 40,000. */
    private static final int MAX_TERMS = 1_000_000;

    private Hypergeometric() {
    }

    /**
     * 2F1(a, b; c; z) = sum over n of (a)_n (b)_n / (c)_n z^n / n!, for 0 <= z < 1 and c neither 0 nor a
     * negative integer.
     *
     * @throws ArithmeticException if z is outside [0, 1) or the series does not settle
     */
    public static double f21(double a, double b, double c, double z) {
        if (!(z >= 0 && z < 1)) {
            throw new ArithmeticException("2F1 is summed here for 0 <= z < 1 only, not z = " + z);
        }
        double term = 1;
        double sum = 1;
        for (int n = 0; n < MAX_TERMS; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            double next = sum + term;
            // a term too small to change the sum, once the terms shrink (they grow at first when a b > c)
            if (next == sum && Math.abs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2)) * z) < 1) {
                return next;
            }
            if (!Double.isFinite(next)) {
                throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") overflows");
            }
            sum = next;
        }
        throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not settle");
    }

    /**
     * 2F1(a, b; c; z) at several z at once, each exactly as {@link #f21(double, double, double, double)} sums it
     * (the same terms, in the same order, stopped at the same term): the ratio of successive coefficients is
     * computed once for all of them.
     *
     * @throws ArithmeticException if a z is outside [0, 1) or a series does not settle
     */
    public static double[] f21(double a, double b, double c, double[] z) {
        int m = z.length;
        double[] term = new double[m];
        double[] sum = new double[m];
        boolean[] done = new boolean[m];
        int left = m;
        for (int i = 0; i < m; i++) {
            if (!(z[i] >= 0 && z[i] < 1)) {
                throw new ArithmeticException("2F1 is summed here for 0 <= z < 1 only, not z = " + z[i]);
            }
            term[i] = 1;
            sum[i] = 1;
        }
        for (int n = 0; n < MAX_TERMS && left > 0; n++) {
            double ratio = (a + n) * (b + n) / ((c + n) * (n + 1));
            double following = (a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2));
            for (int i = 0; i < m; i++) {
                if (done[i]) {
                    continue;
                }
                term[i] *= ratio * z[i];
                double next = sum[i] + term[i];
                if (next == sum[i] && Math.abs(following * z[i]) < 1) {
                    sum[i] = next;
                    done[i] = true;
                    left--;
                    continue;
                }
                if (!Double.isFinite(next)) {
                    throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z[i] + ") overflows");
                }
                sum[i] = next;
            }
        }
        if (left > 0) {
            throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; z) did not settle");
        }
        return sum;
    }
}
