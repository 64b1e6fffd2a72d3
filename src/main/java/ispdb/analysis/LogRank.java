package ispdb.analysis;

import ispdb.model.LogRankTest;
import ispdb.model.SurvivalCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log-rank test across groups, as R's {@code survival::survdiff} computes it (rho = 0): observed and expected
 * events per group, their variance matrix, and the chi-square statistic over the groups with expected events
 * (less one), with its p-value.
 */
public final class LogRank {
    private LogRank() {
    }

    /** @param groups each group's counts, in increasing time */
    public static LogRankTest test(List<List<SurvivalCount>> groups) {
        int k = groups.size();
        // per time: events and customers at risk per group
        TreeMap<Long, long[]> eventsAt = new TreeMap<>();
        long[] atRisk = new long[k];
        List<TreeMap<Long, Long>> leaving = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            TreeMap<Long, Long> out = new TreeMap<>();
            for (SurvivalCount c : groups.get(g)) {
                atRisk[g] += c.events() + c.censored();
                eventsAt.computeIfAbsent(c.time(), t -> new long[k])[g] += c.events();
                out.merge(c.time(), c.events() + c.censored(), Long::sum);
            }
            leaving.add(out);
        }
        double[] observed = new double[k];
        double[] expected = new double[k];
        double[][] variance = new double[k][k];
        for (Map.Entry<Long, long[]> e : eventsAt.entrySet()) {
            long[] d = e.getValue();
            long deaths = 0;
            long n = 0;
            for (int g = 0; g < k; g++) {
                deaths += d[g];
                n += atRisk[g];
            }
            if (deaths > 0) {
                for (int g = 0; g < k; g++) {
                    observed[g] += d[g];
                    expected[g] += (double) deaths * atRisk[g] / n;
                }
                if (n > 1) {
                    double kt = (double) deaths * (n - deaths) / ((double) n * (n - 1));
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            variance[i][j] += kt * atRisk[i] * ((i == j ? 1.0 : 0.0) - (double) atRisk[j] / n);
                        }
                    }
                }
            }
            for (int g = 0; g < k; g++) {
                atRisk[g] -= leaving.get(g).getOrDefault(e.getKey(), 0L);
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            if (expected[g] > 0) {
                kept.add(g);
            }
        }
        int df = kept.size() - 1;
        if (df < 1) {
            return new LogRankTest(0, Math.max(df, 0), Double.NaN);
        }
        // survdiff leaves out the first group: the differences sum to zero
        double[][] v = new double[df][df];
        double[] diff = new double[df];
        for (int i = 0; i < df; i++) {
            int gi = kept.get(i + 1);
            diff[i] = observed[gi] - expected[gi];
            for (int j = 0; j < df; j++) {
                v[i][j] = variance[gi][kept.get(j + 1)];
            }
        }
        double[] x = solve(v, diff.clone());
        double chi = 0;
        for (int i = 0; i < df; i++) {
            chi += x[i] * diff[i];
        }
        return new LogRankTest(chi, df, ChiSquare.upperTail(chi, df));
    }

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting (a is small and symmetric). */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] row = a[col];
            a[col] = a[pivot];
            a[pivot] = row;
            double t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
