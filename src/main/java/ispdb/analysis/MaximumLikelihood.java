package ispdb.analysis;

import ispdb.IspdbException;
import java.util.function.ToDoubleFunction;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum-likelihood fits of positive parameters, in log space (as lifetimes fits them): Hipparchus' Nelder-Mead
 * from all parameters 1, restarted from its result until a restart no longer improves the log-likelihood, and
 * standard errors from the inverse of the log-likelihood's Hessian (central differences in log space, then the
 * delta method).
 */
final class MaximumLikelihood {
    /** A fitted model: its parameters' names, estimates and standard errors (NaN if unknown), and log-likelihood. */
    record Fit(String model, String[] names, double[] estimates, double[] standardErrors, double logLikelihood,
            boolean limit) {
        /** What to tell the user about a fit that is a limit, or null. */
        String note(String what) {
            return limit ? "note: " + what + "'s likelihood has no finite maximum (" + describe(names, estimates)
                    + "): its best fit is a limit, such as customers alike in some respect; the predictions are "
                    + "that limit's, the standard errors unknown" : null;
        }
    }

    /** Evaluations per Nelder-Mead run; a run that needs more has not converged. */
    private static final int MAX_EVALUATIONS = 20_000;
    private static final int MAX_RESTARTS = 5;
    /** The search stays within parameters of 1e-8 to 1e8 (log space: +-18.4). */
    private static final double LOG_BOUND = Math.log(1e8);
    /** A parameter beyond 1e-6 to 1e6 marks a fit whose likelihood has no finite maximum (a limit). */
    private static final double LIMIT = Math.log(1e6);
    /** The step of the central differences, in log space. */
    private static final double STEP = 1e-4;

    private MaximumLikelihood() {
    }

    /**
     * Maximises {@code logLikelihood} over positive parameters: Nelder-Mead from {@code start} to near the maximum, then Newton's
     * method (central-difference gradient and Hessian, halving steps that do not improve) to it. Where the Hessian
     * is not positive definite (a ridge: the likelihood keeps rising towards a limit, such as a beta or gamma
     * mixture that degenerates to one value), Nelder-Mead goes on instead, restarted from its result until a
     * restart no longer improves, within parameters of 1e-8 to 1e8; such a fit is {@link Fit#limit()}.
     *
     * @param what how messages name the model ("the BG/NBD model")
     * @throws IspdbException (data rejected) if the fit does not converge
     */
    static Fit fit(String model, String what, String[] names, double[] start,
            ToDoubleFunction<double[]> logLikelihood) {
        int n = names.length;
        // minimised: minus the log-likelihood of exp(log parameters); anything not finite, or beyond the bound,
        // counts as worst
        ToDoubleFunction<double[]> cost = log -> {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                if (!(Math.abs(log[i]) <= LOG_BOUND)) {
                    return Double.MAX_VALUE;
                }
                p[i] = Math.exp(log[i]);
            }
            double ll = logLikelihood.applyAsDouble(p);
            return Double.isFinite(ll) ? -ll : Double.MAX_VALUE;
        };
        double[] log;
        try {
            double[] logStart = new double[n];
            for (int i = 0; i < n; i++) {
                logStart[i] = Math.log(start[i]);
            }
            PointValuePair best = nelderMead(cost, logStart, 1e-8);
            log = best.getValue() == Double.MAX_VALUE ? null : newton(cost, best.getPoint());
            if (log == null) {
                for (int round = 0; round < MAX_RESTARTS; round++) {
                    PointValuePair found = nelderMead(cost, best.getPoint(), 1e-11);
                    boolean settled = best.getValue() - found.getValue() <= 1e-10 * Math.abs(found.getValue());
                    if (found.getValue() < best.getValue()) {
                        best = found;
                    }
                    if (settled) {
                        break;
                    }
                }
                log = best.getPoint();
            }
        } catch (MathIllegalStateException e) {
            throw notConverged(what, "Nelder-Mead did not settle within " + MAX_EVALUATIONS + " evaluations");
        }
        double value = cost.applyAsDouble(log);
        if (value == Double.MAX_VALUE) {
            throw notConverged(what, "its log-likelihood is not finite anywhere the search looked");
        }
        double[] estimates = new double[n];
        boolean limit = false;
        for (int i = 0; i < n; i++) {
            estimates[i] = Math.exp(log[i]);
            limit |= Math.abs(log[i]) > LIMIT;
        }
        double[] se = standardErrors(cost, log, estimates);
        limit |= Double.isNaN(se[0]);
        return new Fit(model, names, estimates, se, -value, limit);
    }

    private static PointValuePair nelderMead(ToDoubleFunction<double[]> cost, double[] start, double tolerance) {
        return new SimplexOptimizer(tolerance, tolerance).optimize(new MaxEval(MAX_EVALUATIONS),
                new ObjectiveFunction(cost::applyAsDouble), GoalType.MINIMIZE, new InitialGuess(start),
                new NelderMeadSimplex(start.length));
    }

    /** Newton's method from {@code start} to the minimum of {@code cost}; null where the Hessian is not definite. */
    private static double[] newton(ToDoubleFunction<double[]> cost, double[] start) {
        int n = start.length;
        double[] x = start.clone();
        double fx = cost.applyAsDouble(x);
        // from Nelder-Mead's point a handful of steps reach the maximum; more means a ridge
        for (int iteration = 0; iteration < 8; iteration++) {
            double[] gradient = new double[n];
            for (int i = 0; i < n; i++) {
                gradient[i] = (at(cost, x, i, STEP, i, 0) - at(cost, x, i, -STEP, i, 0)) / (2 * STEP);
            }
            double[] step;
            try {
                step = new CholeskyDecomposition(MatrixUtils.createRealMatrix(hessian(cost, x))).getSolver()
                        .solve(MatrixUtils.createRealVector(gradient)).toArray();
            } catch (RuntimeException e) {
                return null;
            }
            double t = 1;
            while (true) {
                double[] next = x.clone();
                for (int i = 0; i < n; i++) {
                    next[i] -= t * step[i];
                }
                double fn = cost.applyAsDouble(next);
                if (fn <= fx) {
                    double moved = 0;
                    for (int i = 0; i < n; i++) {
                        moved = Math.max(moved, Math.abs(t * step[i]));
                    }
                    x = next;
                    fx = fn;
                    if (moved < 1e-10) {
                        return x;
                    }
                    break;
                }
                t /= 2;
                if (t < 1e-3) {
                    // no step improves: at the minimum, to rounding, if the step was small anyway
                    double size = 0;
                    for (double s : step) {
                        size = Math.max(size, Math.abs(s));
                    }
                    return size < 1e-6 ? x : null;
                }
            }
        }
        return null;
    }

    private static String describe(String[] names, double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            s.append(i == 0 ? "" : ", ").append(names[i]).append(String.format(java.util.Locale.ROOT, " %.4g", values[i]));
        }
        return s.toString();
    }

    private static IspdbException notConverged(String what, String why) {
        return IspdbException.rejected("the fit of " + what + " did not converge (" + why + "); nothing was "
                + "written");
    }

    /** sqrt(diag(H^-1)) of minus the log-likelihood in log space, times the estimates; NaN where H is not definite. */
    private static double[] standardErrors(ToDoubleFunction<double[]> cost, double[] log, double[] estimates) {
        int n = log.length;
        double[] se = new double[n];
        try {
            RealMatrix inverse = new CholeskyDecomposition(MatrixUtils.createRealMatrix(hessian(cost, log)))
                    .getSolver().getInverse();
            for (int i = 0; i < n; i++) {
                se[i] = Math.sqrt(inverse.getEntry(i, i)) * estimates[i];
            }
        } catch (RuntimeException e) {
            java.util.Arrays.fill(se, Double.NaN);
        }
        return se;
    }

    /** The Hessian of {@code cost} at {@code x}, by central differences. */
    private static double[][] hessian(ToDoubleFunction<double[]> cost, double[] x) {
        int n = x.length;
        double h = STEP;
        double[][] hessian = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = (at(cost, x, i, h, j, h) - at(cost, x, i, h, j, -h) - at(cost, x, i, -h, j, h)
                        + at(cost, x, i, -h, j, -h)) / (4 * h * h);
                hessian[i][j] = v;
                hessian[j][i] = v;
            }
        }
        return hessian;
    }

    private static double at(ToDoubleFunction<double[]> cost, double[] log, int i, double di, int j, double dj) {
        double[] x = log.clone();
        x[i] += di;
        x[j] += dj;
        return cost.applyAsDouble(x);
    }
}
