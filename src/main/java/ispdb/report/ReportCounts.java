package ispdb.report;

import ispdb.analysis.Survival;
import ispdb.model.CampaignResults;
import ispdb.model.ClvBin;
import ispdb.model.ClvRange;
import ispdb.model.ReportCustomer;
import ispdb.model.SurvivalCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ibatis.session.ResultContext;
import org.apache.ibatis.session.ResultHandler;

/**
 * The report's counts from one pass over the customers and their latest predictions: the survival counts (all, by
 * gender, by customer type), the range and histogram of the latest CLV by customer type, and the campaign outcomes
 * by customer type, as the survival command's and the former per-chart queries' grouping gives them.
 */
final class ReportCounts implements ResultHandler<ReportCustomer> {
    /** A customer type in the order SQL's GROUP BY gives it on SQLite: no type first, then by name. */
    private static final Comparator<String> TYPES = Comparator.nullsFirst(Comparator.naturalOrder());

    /** Survival times below this are counted in an array, others (not days of a customer's life) in a map. */
    private static final int DENSE_TIMES = 1 << 20;

    /** Per group, per survival_time: events and censored. */
    private final Tally all = new Tally(null);
    private final Map<String, Tally> byGender = new HashMap<>();
    private final Map<String, Tally> byType = new HashMap<>();
    /** Per customer type (null: none): campaign 1 successes, known, campaign 2 successes, known. */
    private final Map<String, long[]> campaigns = new TreeMap<>(TYPES);
    /** The latest CLV and customer type of each customer with a prediction. */
    private double[] clv = new double[1024];
    private String[] clvType = new String[1024];
    private int predicted;
    private double minClv = Double.POSITIVE_INFINITY;
    private double maxClv = Double.NEGATIVE_INFINITY;

    @Override
    public void handleResult(ResultContext<? extends ReportCustomer> context) {
        ReportCustomer c = context.getResultObject();
        if (c.survivalTime() != null && c.eventObserved() != null) {
            long time = c.survivalTime();
            boolean event = c.eventObserved();
            all.count(time, event);
            if (c.gender() != null) {
                byGender.computeIfAbsent(c.gender(), Tally::new).count(time, event);
            }
            if (c.predicted() && c.customerType() != null) {
                byType.computeIfAbsent(c.customerType(), Tally::new).count(time, event);
            }
        }
        if (!c.predicted()) {
            return;
        }
        long[] outcomes = campaigns.computeIfAbsent(c.customerType(), t -> new long[4]);
        outcome(outcomes, 0, c.campaign1Success());
        outcome(outcomes, 2, c.campaign2Success());
        if (predicted == clv.length) {
            clv = Arrays.copyOf(clv, predicted * 2);
            clvType = Arrays.copyOf(clvType, predicted * 2);
        }
        clv[predicted] = c.clv();
        clvType[predicted++] = c.customerType();
        minClv = Math.min(minClv, c.clv());
        maxClv = Math.max(maxClv, c.clv());
    }

    /** One group's events and censored per survival_time. */
    private static final class Tally {
        private final String group;
        /** At 2 * time: events, at 2 * time + 1: censored. */
        private long[] dense = new long[2048];
        private final Map<Long, long[]> sparse = new HashMap<>();

        Tally(String group) {
            this.group = group;
        }

        void count(long time, boolean event) {
            if (time >= 0 && time < DENSE_TIMES) {
                int at = 2 * (int) time + (event ? 0 : 1);
                if (at >= dense.length) {
                    dense = Arrays.copyOf(dense, Math.max(at + 1, 2 * dense.length));
                }
                dense[at]++;
            } else {
                sparse.computeIfAbsent(time, t -> new long[2])[event ? 0 : 1]++;
            }
        }

        void rows(List<SurvivalCount> rows) {
            for (int t = 0; 2 * t < dense.length; t++) {
                if (dense[2 * t] + dense[2 * t + 1] > 0) {
                    rows.add(new SurvivalCount(group, t, dense[2 * t], dense[2 * t + 1]));
                }
            }
            sparse.forEach((time, n) -> rows.add(new SurvivalCount(group, time, n[0], n[1])));
        }
    }

    private static void outcome(long[] outcomes, int at, Boolean success) {
        if (success != null) {
            outcomes[at] += success ? 1 : 0;
            outcomes[at + 1]++;
        }
    }

    /** The survival counts: all customers (null), by gender or by customer type. */
    Map<String, List<SurvivalCount>> survival(Survival.By by) {
        List<SurvivalCount> rows = new ArrayList<>();
        if (by == null) {
            all.rows(rows);
        } else {
            (by == Survival.By.GENDER ? byGender : byType).values().forEach(t -> t.rows(rows));
        }
        return Survival.groups(rows);
    }

    /** The customers with a prediction and the range of their latest CLV. */
    ClvRange clvRange() {
        return predicted == 0 ? new ClvRange(0, null, null) : new ClvRange(predicted, minClv, maxClv);
    }

    /** Customers per customer type and CLV bin of the given width from min; the maximum falls into the last bin. */
    List<ClvBin> clvHistogram(double min, double width, int bins) {
        Map<String, long[]> counts = new TreeMap<>(TYPES);
        for (int i = 0; i < predicted; i++) {
            double bin = Math.floor((clv[i] - min) / width);
            counts.computeIfAbsent(clvType[i], t -> new long[bins])[bin >= bins ? bins - 1 : (int) bin]++;
        }
        List<ClvBin> histogram = new ArrayList<>();
        counts.forEach((type, n) -> {
            for (int b = 0; b < bins; b++) {
                if (n[b] > 0) {
                    histogram.add(new ClvBin(type, b, n[b]));
                }
            }
        });
        return histogram;
    }

    /** Campaign outcomes of the latest predictions per customer type, no type first, then in the order of names. */
    List<CampaignResults> campaigns() {
        List<CampaignResults> results = new ArrayList<>();
        campaigns.forEach((type, n) -> results.add(new CampaignResults(type, n[0], n[1], n[2], n[3])));
        return results;
    }
}
