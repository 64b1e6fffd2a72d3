package ispdb.analysis;

/** The upper tail of the chi-square distribution, R's {@code pchisq(x, df, lower.tail = FALSE)}. */
final class ChiSquare {
    private static final double EPSILON = 1e-17;
    private static final int MAX_ITERATIONS = 100_000;

    private ChiSquare() {
    }

    /** P(X > x) for X chi-square with {@code df} degrees of freedom (df at least 1). */
    static double upperTail(double x, int df) {
        if (x <= 0) {
            return 1;
        }
        return regularizedGammaQ(df / 2.0, x / 2, df);
    }

    /** Q(a, x) = Γ(a, x) / Γ(a) for a = df / 2, by the series (x < a + 1) or Lentz's continued fraction. */
    private static double regularizedGammaQ(double a, double x, int df) {
        double logPrefix = a * Math.log(x) - x - logGammaHalf(df);
        if (x < a + 1) {
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < MAX_ITERATIONS; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                    break;
                }
            }
            return 1 - sum * Math.exp(logPrefix);
        }
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return Math.exp(logPrefix) * h;
    }

    /** log Γ(df / 2), exactly from factorials: Γ(n) = (n-1)!, Γ(n + 1/2) = (2n)! √π / (4^n n!). */
    static double logGammaHalf(int df) {
        double s = 0;
        if (df % 2 == 0) {
            for (int i = 2; i < df / 2; i++) {
                s += Math.log(i);
            }
            return s;
        }
        int n = (df - 1) / 2;
        s = 0.5 * Math.log(Math.PI);
        // Γ(n + 1/2) = √π · (1/2)(3/2)...(n - 1/2)
        for (int i = 0; i < n; i++) {
            s += Math.log(i + 0.5);
        }
        return s;
    }
}
