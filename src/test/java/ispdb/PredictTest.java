package ispdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * predict on the CDNOW sample (src/test/resources/ispdb/cdnow, see its README): as of 1997-09-30 the fit gives the
 * published BG/NBD and Gamma-Gamma estimates, and p_alive, expected_purchases and clv equal their closed forms
 * computed here from the printed parameters; --record appends one prediction per customer with a journal entry.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.TestDatabase#kinds")
class PredictTest extends AnalysisTestBase {
    static final String AS_OF = "1997-09-30";

    private void loadCdnow() {
        initSchema();
        for (String[] file : new String[][] {{"payment-methods", "dim_payment_method.csv"},
                {"customers", "dim_customer.csv"}, {"transactions", "fact_transaction.csv.gz"}}) {
            Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", file[0], resource(file[1]).toString());
            assertEquals(0, r.exitCode(), r::toString);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(PredictTest.class.getResource("/ispdb/cdnow/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The estimate rounded to as many decimals as the published figure has. */
    private static void assertPublished(String published, double estimate, String name) {
        BigDecimal p = new BigDecimal(published);
        assertEquals(p, BigDecimal.valueOf(estimate).setScale(p.scale(), RoundingMode.HALF_EVEN), name);
    }

    /** The closed forms, written again here: the paper's equation 10 with 2F1's plain power series. */
    record Model(double r, double alpha, double a, double b, double p, double q, double v) {
        double pAlive(long x, double tx, double t) {
            return x == 0 ? 1 : 1 / (1 + a / (b + x - 1) * Math.pow((alpha + t) / (alpha + tx), r + x));
        }

        double expectedPurchases(double weeks, long x, double tx, double t) {
            double z = weeks / (alpha + t + weeks);
            double hyp = 1;
            double term = 1;
            for (int n = 0; n < 10_000; n++) {
                term *= (r + x + n) * (b + x + n) / ((a + b + x - 1 + n) * (n + 1)) * z;
                hyp += term;
            }
            double numerator = (a + b + x - 1) / (a - 1) * (1 - Math.pow((alpha + t) / (alpha + t + weeks), r + x) * hyp);
            return numerator / (1 + (x > 0 ? a / (b + x - 1) * Math.pow((alpha + t) / (alpha + tx), r + x) : 0));
        }

        double expectedAverageValue(long x, double m) {
            double w = p * x / (p * x + q - 1);
            return (1 - w) * v * p / (q - 1) + w * m;
        }

        double clv(long x, double tx, double t, double m, int months, double rate) {
            double clv = 0;
            for (int i = 1; i <= months; i++) {
                clv += expectedAverageValue(x, m) * (expectedPurchases(i * 4.345, x, tx, t)
                        - expectedPurchases((i - 1) * 4.345, x, tx, t)) / Math.pow(1 + rate, i);
            }
            return clv;
        }
    }

    @Test
    void cdnowGivesThePublishedEstimatesAndTheClosedForms() {
        loadCdnow();
        Cli.Run params = ok("predict", "--as-of", AS_OF, "--params", "--format", "csv");
        assertTrue(params.out().startsWith("model,parameter,estimate,standard_error,log_likelihood\n"), params::toString);
        Map<String, Double> p = new HashMap<>();
        Map<String, Double> se = new HashMap<>();
        for (String[] row : csvRows(params.out())) {
            p.put(row[0] + " " + row[1], Double.parseDouble(row[2]));
            se.put(row[0] + " " + row[1], Double.parseDouble(row[3]));
        }
        assertEquals(7, p.size(), params::toString);
        // Fader, Hardie & Lee (2005); Fader & Hardie (2013)
        assertPublished("0.243", p.get("bgnbd r"), "r");
        assertPublished("4.414", p.get("bgnbd alpha"), "alpha");
        assertPublished("0.793", p.get("bgnbd a"), "a");
        assertPublished("2.426", p.get("bgnbd b"), "b");
        assertPublished("6.25", p.get("gamma-gamma p"), "p");
        assertPublished("3.74", p.get("gamma-gamma q"), "q");
        assertPublished("15.44", p.get("gamma-gamma v"), "v");
        // lifetimes' Quickstart: bgf.summary's se(coef)
        assertPublished("0.0126", se.get("bgnbd r"), "se(r)");
        assertPublished("0.378", se.get("bgnbd alpha"), "se(alpha)");
        assertPublished("0.186", se.get("bgnbd a"), "se(a)");
        assertPublished("0.705", se.get("bgnbd b"), "se(b)");

        Model m = new Model(p.get("bgnbd r"), p.get("bgnbd alpha"), p.get("bgnbd a"), p.get("bgnbd b"),
                p.get("gamma-gamma p"), p.get("gamma-gamma q"), p.get("gamma-gamma v"));
        Cli.Run listing = ok("predict", "--as-of", AS_OF, "--format", "csv");
        assertTrue(listing.out().startsWith("customer_id,frequency,recency,T,monetary_value,p_alive,"
                + "expected_purchases,expected_average_value,clv,customer_type\n"), listing::toString);
        List<String[]> rows = csvRows(listing.out());
        assertEquals(2357, rows.size());
        double[] clvs = rows.stream().mapToDouble(r -> Double.parseDouble(r[8])).sorted().toArray();
        double median = clvs[2357 / 2];
        Map<Long, String[]> byCustomer = new HashMap<>();
        for (String[] r : rows) {
            byCustomer.put(Long.parseLong(r[0]), r);
            double clv = Double.parseDouble(r[8]);
            double pAlive = Double.parseDouble(r[5]);
            String type = clv >= median - 1e-9 * median ? (pAlive >= 0.5 ? "Star" : "Vulnerable")
                    : (pAlive >= 0.5 ? "Free Rider" : "Lost Cause");
            assertEquals(type, r[9], () -> String.join(",", r));
        }
        // lifetimes' cdnow_customers_summary_with_transactions.csv: 1: x 2, t_x 30.43, T 38.86, zbar 22.35;
        // 2: 1, 1.71, 38.86, 11.77; 3: 0 repeat purchases; 6: 7, 29.43, 38.86, 73.74; 18: 1, 4.86, 38.86, 9.99
        for (long id : new long[] {1, 2, 3, 6, 18, 2357}) {
            String[] r = byCustomer.get(id);
            long x = Long.parseLong(r[1]);
            double tx = Double.parseDouble(r[2]);
            double t = Double.parseDouble(r[3]);
            double money = Double.parseDouble(r[4]);
            assertTrue(near(m.pAlive(x, tx, t), Double.parseDouble(r[5])), () -> "p_alive of " + id);
            assertTrue(near(m.expectedPurchases(12 * 4.345, x, tx, t), Double.parseDouble(r[6])),
                    () -> "expected_purchases of " + id + ": " + r[6]);
            assertTrue(near(m.expectedAverageValue(x, money), Double.parseDouble(r[7])), () -> "average of " + id);
            assertTrue(near(m.clv(x, tx, t, money, 12, 0.01), Double.parseDouble(r[8])), () -> "clv of " + id);
        }
        String[] first = byCustomer.get(1L);
        assertEquals(List.of("1", "2"), List.of(first[0], first[1]));
        assertEquals(30.43, Double.parseDouble(first[2]), 0.0051);
        assertEquals(38.86, Double.parseDouble(first[3]), 0.0051);
        assertEquals(22.35, Double.parseDouble(first[4]), 0.0051);
        // lifetimes' formulas with scipy's hyp2f1, at scipy's own fit of the same data (to 4 decimals)
        assertEquals(0.7266, Double.parseDouble(first[5]), 5e-5);
        assertEquals(1.5621, Double.parseDouble(first[6]), 5e-5);
        assertEquals(0.2124, Double.parseDouble(byCustomer.get(2L)[5]), 5e-5);
        assertEquals(0.2523, Double.parseDouble(byCustomer.get(3L)[6]), 5e-5);
        assertEquals(4.2083, Double.parseDouble(byCustomer.get(6L)[6]), 5e-5);
    }

    @Test
    void recordAppendsOnePredictionPerCustomerWithAJournalEntry() {
        loadCdnow();
        Cli.Run listing = ok("predict", "--as-of", AS_OF, "--months", "6", "--discount-rate", "0.02", "--format", "csv");
        Map<Long, String[]> expected = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        for (String[] r : csvRows(listing.out())) {
            expected.put(Long.parseLong(r[0]), r);
            types.merge(r[9], 1, Integer::sum);
        }
        Cli.Run record = ok("predict", "--as-of", AS_OF, "--months", "6", "--discount-rate", "0.02", "--record");
        assertTrue(record.out().matches("recorded 2357 predictions \\(Star " + types.get("Star") + ", Vulnerable "
                + types.get("Vulnerable") + ", Free Rider " + types.get("Free Rider") + ", Lost Cause "
                + types.get("Lost Cause") + "\\) in [0-9.]+ s \\([0-9,]+ rows/s\\)\n"), record::toString);
        assertEquals(2357, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(2357, db.count("SELECT COUNT(DISTINCT customer_id) FROM clv_prediction"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction WHERE is_campaign1_success IS NOT NULL "
                + "OR is_campaign2_success IS NOT NULL OR predicted_at IS NULL"));
        for (List<Object> row : db.query("SELECT customer_id, clv, predicted_customer_type FROM clv_prediction")) {
            String[] e = expected.get(((Number) row.get(0)).longValue());
            // two runs: MariaDB may sum amounts in another order, which moves the fit in the ninth digit
            assertEquals(Double.parseDouble(e[8]), ((Number) row.get(1)).doubleValue(),
                    1e-7 * Math.max(1, Double.parseDouble(e[8])), () -> row.toString());
            assertEquals(e[9], row.get(2), row::toString);
        }
        Cli.Run history = ok("history", "--format", "csv");
        List<String[]> journal = csvRows(history.out());
        String[] entry = journal.get(0);
        assertEquals(List.of("predict", "clv_prediction",
                "predict --as-of '1997-09-30 00:00:00.000000' --months 6 --discount-rate 0.02", "2357", "2357"),
                List.of(entry[1], entry[2], entry[3], entry[6], entry[7]), history::toString);
        // the next night, with the same data: appended again
        ok("predict", "--as-of", AS_OF, "--months", "6", "--discount-rate", "0.02", "--record");
        assertEquals(4714, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(5, csvRows(ok("history", "--format", "csv").out()).size());
    }

    @Test
    void badOptionsAreUsageErrors() {
        initSchema();
        assertFails(run("predict", "--months", "0"), 2, "--months must be 1 to 1200, not 0");
        assertFails(run("predict", "--months", "x"), 2, "--months");
        assertFails(run("predict", "--discount-rate", "-0.01"), 2, "--discount-rate must be a number 0 or more");
        assertFails(run("predict", "--discount-rate", "NaN"), 2, "--discount-rate must be a number 0 or more");
        assertFails(run("predict", "--params", "--record"), 2, "give one of them");
        assertFails(run("predict", "--record", "--format", "csv"), 2, "leave out --format");
        assertFails(run("predict", "--as-of", "1997-13-01"), 2, "--as-of");
    }

    @Test
    void tooLittleDataIsRejectedAndNothingIsWritten() {
        initSchema();
        load("payment-methods", Fixtures.PAYMENT_METHODS);
        load("customers", Fixtures.CUSTOMERS);
        assertFails(run("predict", "--record"), 1, "no customer has a purchase on or before the latest transaction");
        load("transactions", Fixtures.TRANSACTIONS);
        assertFails(run("predict", "--as-of", "2019-01-01", "--record"), 1, "no customer has a purchase on or "
                + "before as-of");
        // one repeat customer (0) of four
        assertFails(run("predict", "--record"), 1, "too few repeat customers to fit: 1 of 4 customers");
        assertFails(run("predict", "--params"), 1, "too few repeat customers to fit");
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(3, db.count("SELECT COUNT(*) FROM load_journal"));
    }

    /**
     * Everyone buys on the same three days, the last one as-of's: no one has dropped out and no one differs, so the
     * likelihoods have no finite maximum (BG/NBD's r, alpha and b run off, a does not matter): the fit is the limit,
     * said in a note, and every customer gets the same figures.
     */
    @Test
    void aFitWithoutAFiniteMaximumIsTheLimitWithANote() {
        initSchema();
        load("payment-methods", Fixtures.PAYMENT_METHODS);
        StringBuilder customers = new StringBuilder("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n");
        StringBuilder transactions = new StringBuilder("transaction_id,customer_id,payment_method_id,"
                + "transaction_date,amount\n");
        int id = 1;
        for (int c = 1; c <= 6; c++) {
            customers.append(c).append(",,,,,,\n");
            for (String day : List.of("01", "11", "21")) {
                transactions.append(id++).append(',').append(c).append(",0,2023-01-").append(day).append(',')
                        .append(10 + id % 7).append('\n');
            }
        }
        load("customers", customers.toString());
        load("transactions", transactions.toString());
        Cli.Run r = run("predict", "--as-of", "2023-01-21", "--format", "csv");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("ispdb: note: BG/NBD's likelihood has no finite maximum (r "), r::toString);
        Cli.assertNoStackTrace(r);
        List<String[]> rows = csvRows(r.out());
        assertEquals(6, rows.size());
        for (String[] row : rows) {
            assertEquals(1, Double.parseDouble(row[5]), 1e-6, row[5]);
            assertTrue(Math.abs(Double.parseDouble(rows.get(0)[6]) - Double.parseDouble(row[6])) < 1e-6, row[6]);
            assertEquals("Free Rider".equals(row[9]) || "Star".equals(row[9]), true, row[9]);
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    /**
     * Equal to within 1e-7 relative: the figures come from two runs (--params, then the listing), and MariaDB may
     * sum a customer's amounts in another order from run to run, which moves the fit in the ninth digit.
     */
    private static boolean near(double expected, double actual) {
        return Math.abs(expected - actual) <= 1e-7 * Math.max(1, Math.abs(expected));
    }
}
