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
    record Fit(String model, String[] names, double[] estimates, double[] standardErrors, double logLikelihood) {
    }

    /** Evaluations per Nelder-Mead run; a run that needs more has not converged. */
    private static final int MAX_EVALUATIONS = 20_000;
    private static final int MAX_RESTARTS = 20;
    /**
     * A log parameter beyond this (a parameter above 1e7 or below 1e-7) means the likelihood has no maximum
     * inside: the data cannot pin the model down.
     */
    private static final double LOG_BOUND = Math.log(1e7);

    private MaximumLikelihood() {
    }

    /**
     * Maximises {@code logLikelihood} over positive parameters.
     *
     * @param what how messages name the model ("the BG/NBD model")
     * @throws IspdbException (data rejected) if the fit does not converge
     */
    static Fit fit(String model, String what, String[] names, ToDoubleFunction<double[]> logLikelihood) {
        int n = names.length;
        // minimised: minus the log-likelihood of exp(log parameters); anything not finite counts as worst
        ToDoubleFunction<double[]> cost = log -> {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                if (!(Math.abs(log[i]) <= LOG_BOUND + 5)) {
                    return Double.MAX_VALUE;
                }
                p[i] = Math.exp(log[i]);
            }
            double ll = logLikelihood.applyAsDouble(p);
            return Double.isFinite(ll) ? -ll : Double.MAX_VALUE;
        };
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-13, 1e-13);
        double[] start = new double[n];
        PointValuePair best = null;
        try {
            for (int round = 0; round < MAX_RESTARTS; round++) {
                PointValuePair found = optimizer.optimize(new MaxEval(MAX_EVALUATIONS),
                        new ObjectiveFunction(cost::applyAsDouble), GoalType.MINIMIZE, new InitialGuess(start),
                        new NelderMeadSimplex(n));
                boolean settled = best != null && best.getValue() - found.getValue() <= 1e-10 * Math.abs(found.getValue());
                if (best == null || found.getValue() < best.getValue()) {
                    best = found;
                }
                if (settled) {
                    break;
                }
                start = best.getPoint();
            }
        } catch (MathIllegalStateException e) {
            throw notConverged(what, "Nelder-Mead did not settle within " + MAX_EVALUATIONS + " evaluations");
        }
        double[] log = best.getPoint();
        double[] estimates = new double[n];
        for (int i = 0; i < n; i++) {
            estimates[i] = Math.exp(log[i]);
            if (!(Math.abs(log[i]) < LOG_BOUND) || best.getValue() == Double.MAX_VALUE) {
                throw notConverged(what, names[i] + " ran to " + String.format(java.util.Locale.ROOT, "%.3g",
                        estimates[i]) + ", so the likelihood has no maximum: the data cannot pin the model down, "
                        + "too few customers or too little variety among them");
            }
        }
        double[] se = standardErrors(cost, log, estimates);
        if (Double.isNaN(se[0])) {
            throw notConverged(what, "the likelihood is flat around its best point, " + describe(names, estimates)
                    + ": the data cannot pin the model down");
        }
        return new Fit(model, names, estimates, se, -best.getValue());
    }

    private static String describe(String[] names, double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            s.append(i == 0 ? "" : " ").append(names[i]).append(String.format(java.util.Locale.ROOT, " %.4g", values[i]));
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
        double h = 1e-4;
        double[][] hessian = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = (at(cost, log, i, h, j, h) - at(cost, log, i, h, j, -h) - at(cost, log, i, -h, j, h)
                        + at(cost, log, i, -h, j, -h)) / (4 * h * h);
                hessian[i][j] = v;
                hessian[j][i] = v;
            }
        }
        double[] se = new double[n];
        try {
            RealMatrix inverse = new CholeskyDecomposition(MatrixUtils.createRealMatrix(hessian)).getSolver()
                    .getInverse();
            for (int i = 0; i < n; i++) {
                se[i] = Math.sqrt(inverse.getEntry(i, i)) * estimates[i];
            }
        } catch (RuntimeException e) {
            java.util.Arrays.fill(se, Double.NaN);
        }
        return se;
    }

    private static double at(ToDoubleFunction<double[]> cost, double[] log, int i, double di, int j, double dj) {
        double[] x = log.clone();
        x[i] += di;
        x[j] += dj;
        return cost.applyAsDouble(x);
    }
}
