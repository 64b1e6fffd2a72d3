package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * predict --holdout-from and --model best on SQLite, PostgreSQL and MariaDB: the CDNOW sample's 39-week calibration
 * (to 1997-09-30) against its holdout (to 1998-06-30), every number computed again here from the sample's file (the
 * split, frequency, recency, T, holdout days and spend) and BG/NBD's and Gamma-Gamma's closed forms at the printed
 * estimates; a hand-made fixture for the split's edges.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class HoldoutTest extends AnalysisTestBase {
    static final String CALIBRATION_END = "1997-09-30";
    static final String HOLDOUT_END = "1998-06-30";

    /** A customer's purchase days and their totals, read from the CDNOW file. */
    record Customer(long id, TreeMap<LocalDate, Double> days) {
        TreeMap<LocalDate, Double> to(LocalDate end) {
            return new TreeMap<>(days.headMap(end, true));
        }
    }

    static Map<Long, Customer> cdnowFile() {
        Map<Long, Customer> customers = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                HoldoutTest.class.getResourceAsStream("/ispdb/cdnow/fact_transaction.csv.gz")), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                long id = Long.parseLong(f[1]);
                customers.computeIfAbsent(id, k -> new Customer(k, new TreeMap<>()))
                        .days().merge(LocalDate.parse(f[3]), Double.parseDouble(f[4]), Double::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return customers;
    }

    /** The output's rows by section and key. */
    static Map<String, String[]> sections(String csv) {
        Map<String, String[]> rows = new HashMap<>();
        for (String[] r : csvRows(csv)) {
            rows.put(r[0] + " " + r[1], r);
        }
        return rows;
    }

    private static double d(String[] row, int column) {
        return Double.parseDouble(row[column]);
    }

    private static void near(double expected, String actual, String what) {
        double a = Double.parseDouble(actual);
        assertTrue(Math.abs(expected - a) <= 1e-8 * Math.max(1, Math.abs(expected)),
                () -> what + ": expected " + expected + ", printed " + actual);
    }

    @Test
    void cdnowHoldoutIsTheClosedFormsOverTheFile() {
        PredictTest.loadCdnow(cli, db.url());
        Map<String, Double> p = new HashMap<>();
        for (String[] row : csvRows(ok("predict", "--as-of", CALIBRATION_END, "--params", "--format", "csv").out())) {
            p.put(row[0] + " " + row[1], Double.parseDouble(row[2]));
        }
        PredictTest.Model m = new PredictTest.Model(p.get("bgnbd r"), p.get("bgnbd alpha"), p.get("bgnbd a"),
                p.get("bgnbd b"), p.get("gamma-gamma p"), p.get("gamma-gamma q"), p.get("gamma-gamma v"));
        Cli.Run check = ok("predict", "--holdout-from", CALIBRATION_END, "--as-of", HOLDOUT_END, "--format", "csv");
        assertTrue(check.out().startsWith("section,key,date,customers,actual,expected,mae,rmse,holdout\n"),
                check::toString);
        Map<String, String[]> out = sections(check.out());

        LocalDate calEnd = LocalDate.parse(CALIBRATION_END);
        LocalDate end = LocalDate.parse(HOLDOUT_END);
        double holdoutWeeks = (end.toEpochDay() - calEnd.toEpochDay()) / 7.0;
        assertEquals(39.0, holdoutWeeks);
        long[] n = new long[8];
        double[] actualSum = new double[8];
        double[] expectedSum = new double[8];
        double actual = 0;
        double expected = 0;
        double absolute = 0;
        double squared = 0;
        double spent = 0;
        double expectedSpent = 0;
        double spendAbsolute = 0;
        double spendSquared = 0;
        for (Customer c : cdnowFile().values()) {
            TreeMap<LocalDate, Double> cal = c.to(calEnd);
            if (cal.isEmpty()) {
                continue;
            }
            // lifetimes' calibration_and_holdout_data: frequency_cal, recency_cal, T_cal in days / 7
            long x = cal.size() - 1;
            LocalDate first = cal.firstKey();
            double tx = (cal.lastKey().toEpochDay() - first.toEpochDay()) / 7.0;
            double t = (calEnd.toEpochDay() - first.toEpochDay()) / 7.0;
            double money = x == 0 ? 0 : (cal.values().stream().mapToDouble(Double::doubleValue).sum()
                    - cal.firstEntry().getValue()) / x;
            var holdout = c.days().subMap(calEnd, false, end, true);
            double purchases = holdout.size();
            double spend = holdout.values().stream().mapToDouble(Double::doubleValue).sum();
            double e = m.expectedPurchases(holdoutWeeks, x, tx, t);
            double average = x > 0 && money > 0 ? m.expectedAverageValue(x, money) : m.expectedAverageValue(0, 0);
            int g = (int) Math.min(x, 7);
            n[g]++;
            actualSum[g] += purchases;
            expectedSum[g] += e;
            actual += purchases;
            expected += e;
            absolute += Math.abs(purchases - e);
            squared += (purchases - e) * (purchases - e);
            spent += spend;
            expectedSpent += average * e;
            spendAbsolute += Math.abs(spend - average * e);
            spendSquared += (spend - average * e) * (spend - average * e);
        }
        assertEquals(2357, java.util.Arrays.stream(n).sum());
        for (int g = 0; g < 8; g++) {
            String[] row = out.get("frequency " + (g < 7 ? Integer.toString(g) : "7+"));
            assertNotNull(row, check::toString);
            assertEquals(Long.toString(n[g]), row[3], "customers of frequency " + g);
            near(actualSum[g] / n[g], row[4], "actual mean of frequency " + g);
            near(expectedSum[g] / n[g], row[5], "expected mean of frequency " + g);
        }
        String[] purchases = out.get("total purchases");
        assertEquals("2357", purchases[3]);
        near(actual, purchases[4], "actual purchases");
        near(expected, purchases[5], "expected purchases");
        near(absolute / 2357, purchases[6], "MAE of purchases");
        near(Math.sqrt(squared / 2357), purchases[7], "RMSE of purchases");
        String[] spend = out.get("total spend");
        near(spent, spend[4], "actual spend");
        near(expectedSpent, spend[5], "expected spend");
        near(spendAbsolute / 2357, spend[6], "MAE of spend");
        near(Math.sqrt(spendSquared / 2357), spend[7], "RMSE of spend");

        // the tracking curve: lifetimes' expected_cumulative_transactions, weeks of 7 days from 1997-01-01
        Map<LocalDate, Long> cohorts = new TreeMap<>();
        TreeSet<LocalDate> repeatDays = new TreeSet<>();
        List<LocalDate> repeats = new ArrayList<>();
        for (Customer c : cdnowFile().values()) {
            cohorts.merge(c.days().firstKey(), 1L, Long::sum);
            c.days().keySet().stream().skip(1).filter(day -> !day.isAfter(end)).forEach(repeats::add);
            repeatDays.addAll(c.days().keySet());
        }
        LocalDate start = LocalDate.parse("1997-01-01");
        assertEquals(start, repeatDays.first());
        long weeks = (end.toEpochDay() + 1 - start.toEpochDay()) / 7;
        assertEquals(78, weeks);
        assertEquals(null, out.get("tracking 79"));
        for (long week : new long[] {1, 12, 39, 40, 52, 78}) {
            LocalDate point = start.plusDays(7 * week);
            String[] row = out.get("tracking " + week);
            assertNotNull(row, "week " + week);
            assertEquals(point.minusDays(1).toString(), row[2]);
            assertEquals(Long.toString(cohorts.entrySet().stream().filter(c -> c.getKey().isBefore(point))
                    .mapToLong(Map.Entry::getValue).sum()), row[3]);
            near(repeats.stream().filter(day -> day.isBefore(point)).count(), row[4], "actual of week " + week);
            double e = cohorts.entrySet().stream().filter(c -> c.getKey().isBefore(point))
                    .mapToDouble(c -> c.getValue() * m.expectedPurchases(
                            (point.toEpochDay() - c.getKey().toEpochDay()) / 7.0, 0, 0, 0)).sum();
            near(e, row[5], "expected of week " + week);
            assertEquals(week > 39 ? "true" : "false", row[8], "holdout of week " + week);
        }
    }

    /**
     * The split's edges on a hand-made fixture: the calibration ends with --holdout-from's day (a later time that
     * day is calibration), the holdout ends with as-of's day, two purchases on a day are one purchase day with their
     * spend summed, a customer who first bought in the holdout is not a calibration customer (but is on the tracking
     * curve), one without holdout purchases counts 0.
     */
    @Test
    void theSplitFollowsCalibrationAndHoldoutData() {
        initSchema();
        load("payment-methods", "payment_method_id,payment_method_name\n1,Card\n");
        load("customers", "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,"
                + "event_observed\n1,,,,,,\n2,,,,,,\n3,,,,,,\n4,,,,,,\n5,,,,,,\n6,,,,,,\n");
        load("transactions", """
                transaction_id,customer_id,payment_method_id,transaction_date,amount
                1,1,1,2024-01-01 09:00:00,10.00
                2,1,1,2024-01-08 10:00:00,20.00
                3,1,1,2024-01-31 23:59:59,30.00
                4,1,1,2024-02-01 00:00:00,5.00
                5,1,1,2024-02-01 18:00:00,7.50
                6,1,1,2024-02-20 12:00:00,11.00
                7,2,1,2024-01-02 12:00:00,12.00
                8,2,1,2024-01-15 12:00:00,14.00
                9,2,1,2024-01-22 12:00:00,16.00
                10,3,1,2024-01-03 12:00:00,40.00
                11,3,1,2024-01-20 12:00:00,44.00
                12,3,1,2024-02-10 12:00:00,41.00
                13,4,1,2024-01-05 12:00:00,8.00
                14,4,1,2024-01-25 12:00:00,9.00
                15,4,1,2024-01-29 12:00:00,9.50
                16,5,1,2024-01-06 12:00:00,100.00
                17,6,1,2024-02-05 12:00:00,3.00
                18,6,1,2024-02-12 12:00:00,4.00
                19,1,1,2024-02-29 00:00:01,99.00
                """);
        Cli.Run r = run("predict", "--holdout-from", "2024-01-31T08:00:00", "--as-of", "2024-02-28T23:00:00", "--format",
                "csv");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String[]> out = sections(r.out());
        // calibration customers 1-5; frequencies 2 (1), 2 (2), 1 (3), 2 (4), 0 (5); holdout purchase days:
        // 1: Feb 1 (5.00 + 7.50) and Feb 20 (11.00); 3: Feb 10 (41.00); customer 6 starts in the holdout
        assertEquals("5", out.get("total purchases")[3]);
        assertEquals(3.0, d(out.get("total purchases"), 4));
        assertEquals(64.5, d(out.get("total spend"), 4), 1e-9);
        assertEquals("1", out.get("frequency 0")[3]);
        assertEquals(0.0, d(out.get("frequency 0"), 4));
        assertEquals("1", out.get("frequency 1")[3]);
        assertEquals(1.0, d(out.get("frequency 1"), 4));
        assertEquals("3", out.get("frequency 2")[3]);
        assertEquals(2.0 / 3, d(out.get("frequency 2"), 4), 1e-12);
        assertEquals("0", out.get("frequency 3")[3]);
        assertEquals("", out.get("frequency 3")[4]);
        // the tracking curve from 2024-01-01: weeks end Jan 7, ..., Feb 25 (8 whole weeks to Feb 28)
        assertEquals("2024-02-25", out.get("tracking 8")[2]);
        assertEquals(null, out.get("tracking 9"));
        assertEquals("5", out.get("tracking 1")[3]);
        assertEquals("6", out.get("tracking 6")[3]);
        // repeat purchase days before Feb 26: 1: Jan 8, Jan 31, Feb 1, Feb 20; 2: Jan 15, Jan 22; 3: Jan 20, Feb 10;
        // 4: Jan 25, Jan 29; 6: Feb 12
        assertEquals(11.0, d(out.get("tracking 8"), 4));
        assertEquals(3.0, d(out.get("tracking 3"), 4)); // before Jan 22: Jan 8, Jan 15, Jan 20 (Jan 22 is not)
        assertEquals("false", out.get("tracking 4")[8]); // ends Jan 28
        assertEquals("true", out.get("tracking 5")[8]); // ends Feb 4
    }

    @Test
    void holdoutFromMustBeBeforeAsOf() {
        PredictTest.loadCdnow(cli, db.url());
        assertFails(run("predict", "--holdout-from", "1998-06-30", "--as-of", "1998-06-30T12:00:00"), 1,
                "--holdout-from (1998-06-30) must be before as-of's day");
        assertFails(run("predict", "--holdout-from", "1996-12-31"), 1, "no customer has a purchase on or before "
                + "1996-12-31");
        assertFails(run("predict", "--holdout-from", "1997-09-30", "--record"), 2, "leave out --record");
        assertFails(run("predict", "--holdout-from", "1997-09-30", "--params"), 2, "leave out --params");
    }

    /** Each model's check adds up (the sections agree), whatever the model. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(PurchaseModel.Kind.class)
    void everyModelsCheckAddsUp(PurchaseModel.Kind model) {
        PredictTest.loadCdnow(cli, db.url());
        Map<String, String[]> out = sections(ok("predict", "--model", model.option(), "--holdout-from",
                CALIBRATION_END, "--format", "csv").out());
        double expected = 0;
        long customers = 0;
        for (int g = 0; g < 8; g++) {
            String[] row = out.get("frequency " + (g < 7 ? Integer.toString(g) : "7+"));
            customers += Long.parseLong(row[3]);
            expected += Long.parseLong(row[3]) * d(row, 5);
        }
        assertEquals(2357, customers);
        near(expected, out.get("total purchases")[5], "expected purchases");
        assertEquals(1882.0, d(out.get("total purchases"), 4));
        double before = 0;
        for (int week = 1; week <= 78; week++) {
            double e = d(out.get("tracking " + week), 5);
            assertTrue(e > before, "week " + week);
            before = e;
        }
    }

    @Test
    void bestChoosesTheLowestHoldoutMaeAndNamesIt() {
        PredictTest.loadCdnow(cli, db.url());
        Cli.Run best = run("predict", "--model", "best", "--holdout-from", CALIBRATION_END, "--format", "csv");
        assertEquals(0, best.exitCode(), best::toString);
        String[] lines = best.err().split("\n");
        assertTrue(lines[0].startsWith("ispdb: --model best: holdout MAE of repeat purchases per customer (fitted to "
                + "1997-09-30, holdout to 1998-06-30):"), best::toString);
        Map<String, Double> mae = new HashMap<>();
        String chosen = null;
        for (PurchaseModel.Kind k : PurchaseModel.Kind.values()) {
            String line = java.util.Arrays.stream(lines).filter(l -> l.startsWith("  " + k.option() + " "))
                    .findFirst().orElseThrow(() -> new AssertionError(k + " missing: " + best.err()));
            if (line.contains("MAE ")) {
                mae.put(k.option(), Double.parseDouble(line.replaceAll(".*MAE ([0-9.]+) .*", "$1")));
                if (line.endsWith("<- chosen")) {
                    chosen = k.option();
                }
            }
        }
        assertNotNull(chosen, best::toString);
        String lowest = chosen;
        assertTrue(mae.values().stream().allMatch(v -> v >= mae.get(lowest)), best::toString);
        // the output is the chosen model's check
        Cli.Run same = ok("predict", "--model", chosen, "--holdout-from", CALIBRATION_END, "--format", "csv");
        assertEquals(same.out(), best.out());
        assertEquals(mae.get(chosen), d(sections(best.out()).get("total purchases"), 6), 5e-7, "the chosen MAE");

        // without --holdout-from: the last quarter held out (1997-01-01 to 1998-06-30: 545 days, the calibration to
        // day 408, 1998-02-13), and --record names the model in the journal
        Cli.Run record = run("predict", "--model", "best", "--record");
        assertEquals(0, record.exitCode(), record::toString);
        assertTrue(record.err().contains("(fitted to 1998-02-13, holdout to 1998-06-30)"), record::toString);
        String entry = csvRows(ok("history", "--format", "csv").out()).get(0)[3];
        assertTrue(entry.startsWith("predict --model " + chosenWithout(record.err()) + " --months 12 "
                + "--discount-rate 0.01 (--model best: the lowest holdout MAE "), entry);
        assertTrue(entry.endsWith(" of a fit to 1998-02-13)"), entry);
    }

    private static String chosenWithout(String err) {
        for (String line : err.split("\n")) {
            if (line.endsWith("<- chosen")) {
                return line.strip().split(" +")[0];
            }
        }
        throw new AssertionError(err);
    }
}
