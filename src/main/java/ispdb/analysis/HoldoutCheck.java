package ispdb.analysis;

import ispdb.IspdbException;
import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.model.DailyPurchases;
import ispdb.model.HoldoutPurchases;
import ispdb.model.HoldoutRow;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * predict --holdout-from: a model fitted on the calibration period (the transactions up to the end of its last day)
 * against what the calibration customers bought in the holdout (the days after it, to as-of's day), as lifetimes'
 * {@code calibration_and_holdout_data} splits them with periods of a day, and the papers' tracking curve
 * (lifetimes' {@code expected_cumulative_transactions}, weeks of 7 days).
 */
public final class HoldoutCheck {
    /** Calibration frequencies shown one by one; from this on, together ("7+"). */
    public static final int FREQUENCY_GROUPS = 7;

    /**
     * What the check reads from the database, once for any number of models.
     *
     * @param calibrationEnd the calibration period's last day
     * @param asOf           the holdout's last day
     * @param calibration    the customers with a purchase in the calibration period, rfm-summary's rows there (weeks)
     * @param holdout        their (and others') holdout purchases by customer_id; customers without any are absent
     * @param days           every day with a purchase up to as-of's day, in order, for the tracking curve
     */
    public record Data(LocalDate calibrationEnd, LocalDate asOf, ClvModel.Customers calibration,
            Map<Long, HoldoutPurchases> holdout, List<DailyPurchases> days) {
        /** The holdout's length in weeks: its days / 7 (lifetimes' duration_holdout / 7). */
        public double holdoutWeeks() {
            return (asOf.toEpochDay() - calibrationEnd.toEpochDay()) / 7.0;
        }

        /** The first day with a purchase: where the tracking curve starts. */
        public LocalDate firstDay() {
            return LocalDate.parse(days.get(0).day());
        }

        /** Where the holdout starts on the tracking curve: weeks from the first day to the day after calibration. */
        public double holdoutStartWeek() {
            return (calibrationEnd.toEpochDay() + 1 - firstDay().toEpochDay()) / 7.0;
        }
    }

    /**
     * A model's check: the three sections of the output, and the fitted model.
     *
     * @param purchasesMae the per-customer mean absolute error of the holdout purchases (what --model best compares)
     */
    public record Result(PurchaseModel.Kind kind, ClvModel model, List<HoldoutRow> byFrequency,
            List<HoldoutRow> totals, List<HoldoutRow> tracking, double purchasesMae, double purchasesRmse) {
        /** Every row: by frequency, the totals, the tracking curve. */
        public List<HoldoutRow> rows() {
            List<HoldoutRow> all = new ArrayList<>(byFrequency);
            all.addAll(totals);
            all.addAll(tracking);
            return all;
        }
    }

    /** A model --model best tried: its check, or why there is none ({@code problem}). */
    public record Candidate(PurchaseModel.Kind kind, Result result, String problem) {
    }

    private HoldoutCheck() {
    }

    /**
     * Reads the calibration customers, the holdout purchases and the days' purchases.
     *
     * @param holdoutFrom the calibration period's last moment: it ends with this day; null: the last quarter of the
     *     observed period is held out (the calibration ends on the first day + floor(3/4 of the days from the first
     *     day to as-of's))
     * @param asOf        the end of the holdout; null: the latest transaction_date
     * @throws IspdbException (data rejected) without transactions, without a holdout day, or without calibration
     *     customers
     */
    public static Data read(Database db, LocalDateTime holdoutFrom, LocalDateTime asOf) {
        db.useMappers(AnalysisMapper.class);
        LocalDate end;
        List<DailyPurchases> days;
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
            LocalDateTime last = asOf != null ? asOf : mapper.latestTransactionDate();
            if (last == null) {
                throw IspdbException.rejected("there are no transactions, so there is nothing to check the model on");
            }
            end = last.toLocalDate();
            days = mapper.dailyPurchases(parameters(null, end));
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException e) {
            throw db.failure("read the purchases per day for the holdout check", e);
        }
        if (days.isEmpty()) {
            throw IspdbException.rejected("no transaction is on or before as-of's day (" + end + "), so there is "
                    + "nothing to check the model on");
        }
        LocalDate first = LocalDate.parse(days.get(0).day());
        LocalDate calibrationEnd;
        if (holdoutFrom != null) {
            calibrationEnd = holdoutFrom.toLocalDate();
            if (!calibrationEnd.isBefore(end)) {
                throw IspdbException.rejected("--holdout-from (" + calibrationEnd + ") must be before as-of's day ("
                        + end + "): the holdout is the days after it, up to as-of");
            }
        } else {
            long observed = end.toEpochDay() - first.toEpochDay();
            if (observed < 1) {
                throw IspdbException.rejected("every transaction up to as-of is on one day (" + end + "), so there is "
                        + "no last quarter of the observed period to hold out");
            }
            calibrationEnd = first.plusDays(observed * 3 / 4);
        }
        ClvModel.Customers calibration = ClvModel.read(db, calibrationEnd.atStartOfDay());
        if (calibration.isEmpty()) {
            throw IspdbException.rejected("no customer has a purchase on or before " + calibrationEnd + " (the end of "
                    + "the calibration period), so there is nothing to fit");
        }
        Map<Long, HoldoutPurchases> holdout = new HashMap<>();
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
            for (HoldoutPurchases h : mapper.holdoutPurchases(parameters(calibrationEnd.plusDays(1), end))) {
                holdout.put(h.customerId(), h);
            }
        } catch (RuntimeException e) {
            throw db.failure("read the holdout purchases", e);
        }
        return new Data(calibrationEnd, end, calibration, holdout, days);
    }

    private static Map<String, Object> parameters(LocalDate holdoutStart, LocalDate asOf) {
        Map<String, Object> p = new HashMap<>();
        p.put("freq", Rfm.Freq.D.name());
        if (holdoutStart != null) {
            p.put("holdoutStart", holdoutStart.atStartOfDay());
        }
        p.put("periodEnd", asOf.plusDays(1).atStartOfDay());
        return p;
    }

    /**
     * Fits {@code kind} (and Gamma-Gamma) on the calibration period and checks it on the holdout.
     *
     * @throws IspdbException (data rejected) if the model cannot be fitted or evaluated
     */
    public static Result check(Data data, PurchaseModel.Kind kind) {
        ClvModel fitted = ClvModel.fit(data.calibration(), kind);
        PurchaseModel model = fitted.purchaseModel();
        GammaGamma spend = fitted.gammaGamma();
        double[] weeks = {data.holdoutWeeks()};
        long[] customers = new long[FREQUENCY_GROUPS + 1];
        double[] actualSum = new double[FREQUENCY_GROUPS + 1];
        double[] expectedSum = new double[FREQUENCY_GROUPS + 1];
        double actualPurchases = 0;
        double expectedPurchases = 0;
        double absolute = 0;
        double squared = 0;
        double actualSpend = 0;
        double expectedSpend = 0;
        double spendAbsolute = 0;
        double spendSquared = 0;
        ClvModel.Customers calibration = data.calibration();
        for (int c = 0; c < calibration.size(); c++) {
            double expected;
            try {
                expected = model.expectedPurchases(weeks, calibration.history(c))[0];
            } catch (ArithmeticException e) {
                throw IspdbException.rejected("cannot compute the expected holdout purchases of customer "
                        + calibration.id(c) + " with the fitted " + kind.title() + " model (" + e.getMessage() + ")");
            }
            HoldoutPurchases h = data.holdout().get(calibration.id(c));
            double actual = h == null ? 0 : h.purchases();
            double spent = h == null ? 0 : h.spend();
            double expectedSpent = spend.expectedAverageValue(calibration.frequency(c), calibration.monetary[c])
                    * expected;
            int group = (int) Math.min(calibration.frequency(c), FREQUENCY_GROUPS);
            customers[group]++;
            actualSum[group] += actual;
            expectedSum[group] += expected;
            actualPurchases += actual;
            expectedPurchases += expected;
            absolute += Math.abs(actual - expected);
            squared += (actual - expected) * (actual - expected);
            actualSpend += spent;
            expectedSpend += expectedSpent;
            spendAbsolute += Math.abs(spent - expectedSpent);
            spendSquared += (spent - expectedSpent) * (spent - expectedSpent);
        }
        List<HoldoutRow> byFrequency = new ArrayList<>();
        for (int g = 0; g <= FREQUENCY_GROUPS; g++) {
            long n = customers[g];
            byFrequency.add(new HoldoutRow(HoldoutRow.FREQUENCY, g < FREQUENCY_GROUPS ? Integer.toString(g) : g + "+",
                    null, n, n == 0 ? null : actualSum[g] / n, n == 0 ? null : expectedSum[g] / n, null, null, null));
        }
        long n = data.calibration().size();
        double mae = absolute / n;
        double rmse = Math.sqrt(squared / n);
        List<HoldoutRow> totals = List.of(
                new HoldoutRow(HoldoutRow.TOTAL, "purchases", null, n, actualPurchases, expectedPurchases, mae, rmse,
                        null),
                new HoldoutRow(HoldoutRow.TOTAL, "spend", null, n, actualSpend, expectedSpend, spendAbsolute / n,
                        Math.sqrt(spendSquared / n), null));
        return new Result(kind, fitted, byFrequency, totals, tracking(data, model), mae, rmse);
    }

    /**
     * The weekly tracking curve, lifetimes' {@code expected_cumulative_transactions} with periods of a day and weeks
     * of 7: week j ends before day p = first day + 7 j; actual: the repeat purchase days before p; expected: over the
     * customers whose first purchase day d is before p, the sum of expected_number_of_purchases_up_to_time((p - d) /
     * 7). Weeks 1 to floor((as-of's day + 1 - first day) / 7): every whole week to as-of.
     */
    static List<HoldoutRow> tracking(Data data, PurchaseModel model) {
        long first = data.firstDay().toEpochDay();
        long after = data.asOf().toEpochDay() + 1;
        int span = (int) (after - first);
        long[] cohort = new long[span];
        long[] repeat = new long[span];
        for (DailyPurchases d : data.days()) {
            int i = (int) (LocalDate.parse(d.day()).toEpochDay() - first);
            cohort[i] = d.firstPurchases();
            repeat[i] = d.repeatPurchases();
        }
        // the expectation at each lag in days, once: 1 to span
        double[] upTo = new double[span + 1];
        for (int lag = 1; lag <= span; lag++) {
            upTo[lag] = model.expectedPurchasesUpTo(lag / 7.0);
        }
        List<HoldoutRow> rows = new ArrayList<>();
        long calibrationEnd = data.calibrationEnd().toEpochDay();
        long actual = 0;
        long customers = 0;
        int counted = 0;
        for (int week = 1; 7 * week <= span; week++) {
            int p = 7 * week;
            for (; counted < p; counted++) {
                actual += repeat[counted];
                customers += cohort[counted];
            }
            double expected = 0;
            for (int d = 0; d < p; d++) {
                if (cohort[d] > 0) {
                    expected += cohort[d] * upTo[p - d];
                }
            }
            long lastDay = first + p - 1;
            rows.add(new HoldoutRow(HoldoutRow.TRACKING, Integer.toString(week),
                    LocalDate.ofEpochDay(lastDay).toString(), customers, (double) actual, expected, null, null,
                    lastDay > calibrationEnd));
        }
        return rows;
    }

    /**
     * --model best: checks every model on the calibration period; those that cannot be fitted say why.
     */
    public static List<Candidate> compare(Data data) {
        List<Candidate> all = new ArrayList<>();
        for (PurchaseModel.Kind kind : PurchaseModel.Kind.values()) {
            try {
                all.add(new Candidate(kind, check(data, kind), null));
            } catch (IspdbException e) {
                all.add(new Candidate(kind, null, "not fitted: " + e.getMessage()));
            }
        }
        return all;
    }

    /**
     * The candidate with the lowest holdout MAE of purchases (of equal ones, the first in the models' order).
     *
     * @throws IspdbException (data rejected) if no model could be fitted
     */
    public static Candidate best(List<Candidate> candidates) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (c.result() != null && (best == null || c.result().purchasesMae() < best.result().purchasesMae())) {
                best = c;
            }
        }
        if (best == null) {
            throw IspdbException.rejected("--model best: no model could be fitted on the calibration period ("
                    + candidates.stream().map(c -> c.kind().option() + ": " + c.problem())
                            .reduce((a, b) -> a + "; " + b).orElse("") + ")");
        }
        return best;
    }
}
