package ispdb.analysis;

import ispdb.model.SurvivalCount;
import ispdb.model.SurvivalPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kaplan-Meier estimate of one group from its counts per time, as R's {@code survival::survfit} computes it
 * with its defaults: one point per distinct time, the Greenwood standard error of the cumulative hazard, and a
 * 95% confidence interval of type "log" (or lifelines' exponential Greenwood interval, "log-log").
 */
public final class KaplanMeier {
    /** The two-sided 95% normal quantile, R's {@code qnorm(0.975)}. */
    static final double Z = 1.959963984540054;

    /** The confidence intervals on offer. */
    public enum Interval {
        /** R survfit's default, {@code conf.type = "log"}: exp(log S ± z se), the upper end at most 1. */
        LOG,
        /** lifelines' exponential Greenwood interval, {@code exp(-exp(log(-log S) ± z se / log S))}. */
        LOG_LOG
    }

    private KaplanMeier() {
    }

    /**
     * The estimate of one group.
     *
     * @param group  the group's name
     * @param counts the group's counts, in increasing time, one per time
     */
    public static List<SurvivalPoint> estimate(String group, List<SurvivalCount> counts, Interval interval) {
        long atRisk = 0;
        for (SurvivalCount c : counts) {
            atRisk += c.events() + c.censored();
        }
        List<SurvivalPoint> points = new ArrayList<>(counts.size());
        double survival = 1;
        double hazardVariance = 0; // R's: infinite once everyone at risk has the event
        double lifelinesVariance = 0; // lifelines drops that term (its replace([np.inf], 0))
        for (SurvivalCount c : counts) {
            long n = atRisk;
            long d = c.events();
            if (d > 0) {
                survival *= (double) (n - d) / n;
                if (n > d) {
                    double term = (double) d / ((double) n * (n - d));
                    hazardVariance += term;
                    lifelinesVariance += term;
                } else {
                    hazardVariance = Double.POSITIVE_INFINITY;
                }
            }
            double stdErr = Math.sqrt(hazardVariance);
            double lower;
            double upper;
            if (interval == Interval.LOG) {
                if (survival == 0) {
                    lower = Double.NaN;
                    upper = Double.NaN;
                } else {
                    lower = Math.exp(Math.log(survival) - Z * stdErr);
                    upper = Math.min(1, Math.exp(Math.log(survival) + Z * stdErr));
                }
            } else if (survival == 1) {
                lower = 1;
                upper = 1;
            } else if (survival == 0) {
                lower = 0;
                upper = 0;
            } else {
                double v = Math.log(survival);
                double se = Math.sqrt(lifelinesVariance);
                upper = Math.exp(-Math.exp(Math.log(-v) + Z * se / v));
                lower = Math.exp(-Math.exp(Math.log(-v) - Z * se / v));
            }
            points.add(new SurvivalPoint(group, c.time(), n, d, c.censored(), survival,
                    Double.isInfinite(stdErr) ? Double.NaN : stdErr, lower, upper));
            atRisk -= d + c.censored();
        }
        return points;
    }

    /**
     * The median survival time as R's survfit gives it: the first time the estimate is at or below one half; if
     * it is exactly one half there (within R's tolerance), the midpoint to the next time with an event. NaN if
     * the estimate never reaches one half.
     */
    public static double median(List<SurvivalPoint> points) {
        double tolerance = Math.sqrt(Math.ulp(1.0));
        for (int i = 0; i < points.size(); i++) {
            SurvivalPoint p = points.get(i);
            if (p.events() == 0) {
                continue;
            }
            if (Math.abs(p.survival() - 0.5) < tolerance) {
                for (int j = i + 1; j < points.size(); j++) {
                    if (points.get(j).events() > 0) {
                        return (p.time() + points.get(j).time()) / 2.0;
                    }
                }
                return p.time();
            }
            if (p.survival() < 0.5) {
                return p.time();
            }
        }
        return Double.NaN;
    }
}
