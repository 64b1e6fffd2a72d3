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
 * Maximum-likelihood fits of positive parameters, in log space (as lifetimes fits them). With an analytic gradient:
 * Newton's method (the Hessian from differences of the gradient, Levenberg-Marquardt damping), standard errors
 * from the inverse Hessian (central differences of the gradient, then the delta method). Without one, or where
 * Newton's method finds no maximum (a likelihood rising towards a limit): Hipparchus' Nelder-Mead, restarted from
 * its result until a restart no longer improves the log-likelihood, then Newton's method on central differences.
 */
final class MaximumLikelihood {
    /** A fitted model: its parameters' names, estimates and standard errors (NaN if unknown), and log-likelihood. */
    record Fit(String model, String[] names, double[] estimates, double[] standardErrors, double logLikelihood,
            boolean limit, long evaluations, String limitKind, String limitDescription) {
        Fit(String model, String[] names, double[] estimates, double[] standardErrors, double logLikelihood,
                boolean limit, long evaluations) {
            this(model, names, estimates, standardErrors, logLikelihood, limit, evaluations, null, null);
        }

        /**
         * This fit, a limit of a known kind (such as BG/NBD's "geometric"), described as {@code description}: what
         * the note says instead of the general words.
         */
        Fit describedAs(String kind, String description) {
            return new Fit(model, names, estimates, standardErrors, logLikelihood, limit, evaluations, kind,
                    description);
        }

        /** What to tell the user about a fit that is a limit, or null. */
        String note(String what) {
            return limit ? "note: " + what + "'s likelihood has no finite maximum (" + describe(names, estimates)
                    + "): " + (limitDescription != null ? limitDescription : "its best fit is a limit, such as "
                    + "customers alike in some respect; the predictions are that limit's") + ", the standard errors "
                    + "unknown" : null;
        }
    }

    /**
     * A log-likelihood with its gradient: returns the log-likelihood at the (positive) parameters {@code p} and,
     * unless {@code gradient} is null, fills it with the derivatives by each parameter.
     */
    @FunctionalInterface
    interface Differentiable {
        double at(double[] p, double[] gradient);
    }

    /**
     * Where a gradient search ended, in log space: the point, minus the log-likelihood there, and whether it is a
     * maximum (the gradient vanishes and the Hessian is negative definite).
     */
    record Search(double[] log, double cost, boolean converged) {
        double[] estimates() {
            double[] e = new double[log.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.exp(log[i]);
            }
            return e;
        }

        /** Whether some parameter is beyond 1e-6 to 1e6: the search heads for a limit. */
        boolean beyond(int i) {
            return Math.abs(log[i]) > LIMIT;
        }
    }

    /** Newton iterations at most; from a start scaled to the data a few dozen reach the maximum. */
    private static final int MAX_ITERATIONS = 200;
    /** The longest Newton step, in log space (a factor of e^3 in a parameter). */
    private static final double MAX_STEP = 3;
    /** The step of the differences of the analytic gradient, in log space. */
    private static final double GRADIENT_STEP = 1e-5;

    /**
     * Maximises a log-likelihood with an analytic gradient: Newton's method in log space (the Hessian from
     * differences of the gradient, damped Levenberg-Marquardt style where it is not definite or a step does not
     * improve) from {@code start}; standard errors from the inverse Hessian (central differences of the gradient).
     * Where that does not reach a maximum (a likelihood without a finite one), Nelder-Mead goes on from the best
     * point found, as {@link #fit(String, String, String[], double[], ToDoubleFunction)} does.
     */
    static Fit fit(String model, String what, String[] names, double[] start, Differentiable logLikelihood) {
        long[] evaluations = {0};
        Search search = search(logLikelihood, start, evaluations);
        return fitFrom(model, what, names, start, logLikelihood, search, evaluations, false);
    }

    /**
     * Maximises a log-likelihood with an analytic gradient whose maximum may be a limit: Newton's method in log space
     * from {@code start}, stopped where some parameter runs beyond 1e-6 to 1e6; at a finite maximum, the fit there;
     * else Nelder-Mead goes on from the best point found (as {@link #fit(String, String, String[], double[],
     * Differentiable)} does), and where that is a limit its standard errors are unknown (NaN), as its note says.
     */
    static Fit fitOrLimit(String model, String what, String[] names, double[] start, Differentiable logLikelihood) {
        long[] evaluations = {0};
        Search search = search(logLikelihood, start, u -> {
            for (double v : u) {
                if (Math.abs(v) > LIMIT) {
                    return true;
                }
            }
            return false;
        }, evaluations);
        return fitFrom(model, what, names, start, logLikelihood, search, evaluations, true);
    }

    /**
     * The fit where a gradient search ended: there, at a finite maximum; else Nelder-Mead goes on from the best point
     * found ({@code start} if none); {@code unknownLimitErrors}: a limit's standard errors are NaN.
     */
    private static Fit fitFrom(String model, String what, String[] names, double[] start,
            Differentiable logLikelihood, Search search, long[] evaluations, boolean unknownLimitErrors) {
        boolean beyond = false;
        for (int i = 0; i < names.length; i++) {
            beyond |= search.beyond(i);
        }
        if (search.converged() && !beyond) {
            return fitAt(model, names, search, logLikelihood, false, evaluations);
        }
        Fit fit = fit(model, what, names, search.cost() < Double.MAX_VALUE ? search.estimates() : start,
                p -> logLikelihood.at(p, null));
        double[] se = fit.standardErrors();
        if (unknownLimitErrors && fit.limit()) {
            se = se.clone();
            java.util.Arrays.fill(se, Double.NaN);
        }
        return new Fit(fit.model(), names, fit.estimates(), se, fit.logLikelihood(), fit.limit(),
                fit.evaluations() + evaluations[0]);
    }

    /**
     * The fit at a search's point: its estimates, standard errors (NaN for a limit, or where the Hessian is not
     * definite) and log-likelihood.
     */
    static Fit fitAt(String model, String[] names, Search search, Differentiable logLikelihood, boolean limit,
            long[] evaluations) {
        double[] estimates = search.estimates();
        double[] se = new double[names.length];
        java.util.Arrays.fill(se, Double.NaN);
        if (!limit) {
            try {
                double[][] hessian = standardErrorHessian(logLikelihood, search.log(), evaluations);
                RealMatrix inverse = new CholeskyDecomposition(MatrixUtils.createRealMatrix(hessian)).getSolver()
                        .getInverse();
                for (int i = 0; i < se.length; i++) {
                    se[i] = Math.sqrt(inverse.getEntry(i, i)) * estimates[i];
                }
            } catch (RuntimeException e) {
                limit = true;
            }
        }
        return new Fit(model, names, estimates, se, -search.cost(), limit, evaluations[0]);
    }

    /**
     * Minus the log-likelihood at exp(log), and its gradient by log (into {@code gradient}); Double.MAX_VALUE
     * beyond the bound or where it is not finite.
     */
    private static double cost(Differentiable logLikelihood, double[] log, double[] gradient, long[] evaluations) {
        evaluations[0]++;
        int n = log.length;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(log[i]) <= LOG_BOUND)) {
                return Double.MAX_VALUE;
            }
            p[i] = Math.exp(log[i]);
        }
        double[] g = new double[n];
        double ll = logLikelihood.at(p, g);
        for (int i = 0; i < n; i++) {
            gradient[i] = -g[i] * p[i];
            if (!Double.isFinite(gradient[i])) {
                return Double.MAX_VALUE;
            }
        }
        return Double.isFinite(ll) ? -ll : Double.MAX_VALUE;
    }

    /**
     * Newton's method on minus the log-likelihood in log space from {@code start}, damped (H + lambda I,
     * Levenberg-Marquardt) where the Hessian is not positive definite or a step does not improve, steps at most 3
     * long. It stops at the minimum (an undamped Newton step below 1e-8 with a positive definite Hessian), when
     * {@code stop} holds for the parameters (a limit is near), when no step improves, or after 200 iterations.
     */
    static Search search(Differentiable logLikelihood, double[] start, java.util.function.Predicate<double[]> stop,
            long[] evaluations) {
        int n = start.length;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = Math.log(start[i]);
        }
        double[] g = new double[n];
        double f = cost(logLikelihood, u, g, evaluations);
        if (f == Double.MAX_VALUE) {
            return new Search(u, f, false);
        }
        double lambda = 0;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[][] h = gradientHessian(logLikelihood, u, false, g, evaluations);
            double scale = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    scale = Double.isFinite(h[i][j]) ? scale : Double.NaN;
                }
                scale = Math.max(scale, Math.abs(h[i][i]));
            }
            if (!(scale < Double.POSITIVE_INFINITY)) {
                return new Search(u, f, false);
            }
            scale = Math.max(scale, 1e-12);
            double[] newton = solve(h, 0, g);
            if (newton != null && (size(newton) < 1e-8 || -dot(g, newton) < 1e-15 * Math.abs(f))) {
                // at the minimum: the Newton step is tiny, or what it would gain is below rounding
                return polish(logLikelihood, u, f, g, newton, evaluations);
            }
            while (true) {
                double[] step = lambda == 0 ? newton : solve(h, lambda, g);
                if (step == null) {
                    lambda = lambda == 0 ? 1e-6 * scale : lambda * 10;
                    continue;
                }
                double size = size(step);
                if (size > MAX_STEP) {
                    for (int i = 0; i < n; i++) {
                        step[i] *= MAX_STEP / size;
                    }
                }
                double[] next = new double[n];
                for (int i = 0; i < n; i++) {
                    next[i] = u[i] + step[i];
                }
                double[] gNext = new double[n];
                double fNext = cost(logLikelihood, next, gNext, evaluations);
                if (fNext <= f && java.util.Arrays.equals(next, u)) {
                    // the step is below the last bit of every parameter (damped that far): no step improves, as
                    // below; taking it would only go round, damping less and more again, to the 200th iteration.
                    // Here the Hessian of forward differences is too rough to step with: polish with central ones
                    double[] central = solve(gradientHessian(logLikelihood, u, true, g, evaluations), 0, g);
                    return central != null && -dot(g, central) < 1e-11 * Math.abs(f)
                            ? polish(logLikelihood, u, f, g, central, evaluations) : new Search(u, f, false);
                }
                if (fNext <= f) {
                    u = next;
                    f = fNext;
                    g = gNext;
                    lambda = lambda < 1e-9 * scale ? 0 : lambda / 10;
                    break;
                }
                if (lambda > 1e12 * scale) {
                    // no step improves, not even a tiny one along the gradient: at the minimum to rounding (what
                    // the Newton step would gain is within the rounding of the log-likelihood), or stuck
                    return newton != null && -dot(g, newton) < 1e-11 * Math.abs(f)
                            ? polish(logLikelihood, u, f, g, newton, evaluations) : new Search(u, f, false);
                }
                lambda = lambda == 0 ? 1e-6 * scale : lambda * 10;
            }
            if (stop.test(u)) {
                return new Search(u, f, false);
            }
        }
        return new Search(u, f, false);
    }

    /**
     * The minimum to the precision of the gradient, from a point {@code u} where the search stopped because what the
     * Newton step {@code newton} would gain is below the rounding of the log-likelihood: along a flat direction (a
     * parameter the data pin down loosely) that point can still be 1e-5 away in log space, and where it stops would
     * then depend on the last bits of the data. Up to 5 more Newton steps, each taken while it is small (below 0.01),
     * makes the gradient smaller and the log-likelihood no worse beyond its rounding (1e-10 relative: its terms
     * cancel, and their rounding reaches 1e-12), until one is below 1e-12.
     */
    private static Search polish(Differentiable logLikelihood, double[] u, double f, double[] g, double[] newton,
            long[] evaluations) {
        int n = u.length;
        for (int round = 0; round < 10 && newton != null && size(newton) < 1e-2; round++) {
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                next[i] = u[i] + newton[i];
            }
            double[] gNext = new double[n];
            double fNext = cost(logLikelihood, next, gNext, evaluations);
            if (fNext == Double.MAX_VALUE || fNext > f + 1e-10 * Math.abs(f) || !(size(gNext) < size(g))) {
                break;
            }
            boolean last = size(newton) < 1e-12;
            u = next;
            f = fNext;
            g = gNext;
            if (last) {
                break;
            }
            newton = solve(gradientHessian(logLikelihood, u, true, g, evaluations), 0, g);
        }
        return new Search(u, f, true);
    }

    /** The search of {@link #search(Differentiable, double[], java.util.function.Predicate, long[])}, stopped
     * where a parameter goes beyond 1e-6 to 1e6. */
    static Search search(Differentiable logLikelihood, double[] start, long[] evaluations) {
        return search(logLikelihood, start, u -> {
            for (double v : u) {
                if (Math.abs(v) > LIMIT) {
                    return true;
                }
            }
            return false;
        }, evaluations);
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    private static double size(double[] step) {
        double size = 0;
        for (double s : step) {
            size = Math.max(size, Math.abs(s));
        }
        return size;
    }

    /** -(H + lambda I)^-1 g, or null where H + lambda I is not positive definite. */
    private static double[] solve(double[][] h, double lambda, double[] g) {
        int n = g.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i] = h[i].clone();
            m[i][i] += lambda;
        }
        try {
            double[] s = new CholeskyDecomposition(MatrixUtils.createRealMatrix(m)).getSolver()
                    .solve(MatrixUtils.createRealVector(g)).toArray();
            for (int i = 0; i < n; i++) {
                s[i] = -s[i];
            }
            return s;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The Hessian of minus the log-likelihood in log space from differences of its gradient: central ones
     * ({@code central}), or forward ones from the gradient {@code g} at {@code u}; symmetrised.
     */
    static double[][] gradientHessian(Differentiable logLikelihood, double[] u, boolean central, double[] g,
            long[] evaluations) {
        return gradientHessian(logLikelihood, u, central, g, GRADIENT_STEP, evaluations);
    }

    /**
     * The Hessian the standard errors come from: central differences of the gradient at steps 0.01 and 0.005 in log
     * space, combined (Richardson: (4 H(h / 2) - H(h)) / 3, exact to h^4). The gradient's rounding, divided by the
     * step, then moves it by about 1e-10 relative, not the 1e-7 of a step of 1e-5: the last bits of the data (SQLite's
     * sums against exact ones) do not show in the standard errors.
     */
    static double[][] standardErrorHessian(Differentiable logLikelihood, double[] u, long[] evaluations) {
        double[][] coarse = gradientHessian(logLikelihood, u, true, null, 1e-2, evaluations);
        double[][] fine = gradientHessian(logLikelihood, u, true, null, 5e-3, evaluations);
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < u.length; j++) {
                fine[i][j] = (4 * fine[i][j] - coarse[i][j]) / 3;
            }
        }
        return fine;
    }

    private static double[][] gradientHessian(Differentiable logLikelihood, double[] u, boolean central, double[] g,
            double step, long[] evaluations) {
        int n = u.length;
        double[][] h = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] plus = u.clone();
            plus[j] += step;
            double[] gPlus = new double[n];
            cost(logLikelihood, plus, gPlus, evaluations);
            double[] gMinus = g;
            double width = step;
            if (central) {
                double[] minus = u.clone();
                minus[j] -= step;
                gMinus = new double[n];
                cost(logLikelihood, minus, gMinus, evaluations);
                width = 2 * step;
            }
            for (int i = 0; i < n; i++) {
                h[i][j] = (gPlus[i] - gMinus[i]) / width;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double v = (h[i][j] + h[j][i]) / 2;
                h[i][j] = v;
                h[j][i] = v;
            }
        }
        return h;
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
        long[] evaluations = {0};
        ToDoubleFunction<double[]> cost = log -> {
            evaluations[0]++;
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
        return new Fit(model, names, estimates, se, -value, limit, evaluations[0]);
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
