package ispdb.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Customers' histories with the same x, t_x and T counted once (their weight), in a fixed order (by x, t_x, T)
 * whatever the order the database returned them in: what a likelihood sums per evaluation, so that the same data
 * gives the same bits.
 */
final class DistinctHistories {
    private final long[] frequencies;
    private final double[] recencies;
    private final double[] ts;
    private final double[] weights;

    DistinctHistories(List<PurchaseHistory> histories) {
        Map<PurchaseHistory, double[]> distinct = new TreeMap<>(Comparator.comparingLong(PurchaseHistory::frequency)
                .thenComparingDouble(PurchaseHistory::recency).thenComparingDouble(PurchaseHistory::t));
        for (PurchaseHistory h : histories) {
            distinct.computeIfAbsent(h, k -> new double[1])[0]++;
        }
        int n = distinct.size();
        frequencies = new long[n];
        recencies = new double[n];
        ts = new double[n];
        weights = new double[n];
        int i = 0;
        for (Map.Entry<PurchaseHistory, double[]> e : distinct.entrySet()) {
            frequencies[i] = e.getKey().frequency();
            recencies[i] = e.getKey().recency();
            ts[i] = e.getKey().t();
            weights[i++] = e.getValue()[0];
        }
    }

    /** x of each distinct history, ascending. */
    long[] frequencies() {
        return frequencies;
    }

    /** t_x of each, in weeks. */
    double[] recencies() {
        return recencies;
    }

    /** T of each, in weeks. */
    double[] ts() {
        return ts;
    }

    /** The customers with each. */
    double[] weights() {
        return weights;
    }
}
