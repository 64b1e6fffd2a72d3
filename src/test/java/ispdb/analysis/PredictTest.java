package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
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
@MethodSource("ispdb.testing.TestDatabase#kinds")
class PredictTest extends AnalysisTestBase {
    static final String AS_OF = "1997-09-30";

    private void loadCdnow() {
        loadCdnow(cli, db.url());
    }

    /** init-schema and the CDNOW sample into the database at {@code url}. */
    static void loadCdnow(Cli cli, String url) {
        ispdb.testing.Cdnow.load(cli, url);
    }

    /**
     * init-schema and 400 customers whose spend is alike (scripts/generate-data's amounts: 5.00 to 500.00, skewed
     * towards small ones, the same for everyone), each buying on 1 to 8 days of 2023, some days twice, into the
     * database at {@code url}; every amount {@code amount} instead where that is not null. Gamma-Gamma's q and v run
     * off together on such data.
     */
    static void loadAlikeSpend(Cli cli, String url, Path dir, String amount) {
        assertEquals(0, cli.run(ispdb.testing.TestDatabase.initSchemaArguments(url)).exitCode());
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        StringBuilder customers = new StringBuilder("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n");
        StringBuilder transactions = new StringBuilder("transaction_id,customer_id,payment_method_id,"
                + "transaction_date,amount\n");
        long id = 1;
        for (int c = 1; c <= 400; c++) {
            customers.append(c).append(",,,,,,\n");
            int days = 1 + random.nextInt(8);
            int day = random.nextInt(60);
            for (int d = 0; d < days; d++) {
                day += 1 + random.nextInt(30);
                for (int again = random.nextInt(4) == 0 ? 2 : 1; again > 0; again--) {
                    double u = random.nextDouble();
                    long cents = 500 + (long) (u * u * 49_501);
                    transactions.append(id++).append(',').append(c).append(",0,")
                            .append(java.time.LocalDate.of(2023, 1, 1).plusDays(day)).append(' ')
                            .append(String.format(java.util.Locale.ROOT, "%02d:%02d:00", 8 + again, d % 60)).append(',')
                            .append(amount != null ? amount : cents / 100 + "." + String.format("%02d", cents % 100))
                            .append('\n');
                }
            }
        }
        for (String[] file : new String[][] {{"payment-methods", Fixtures.PAYMENT_METHODS},
                {"customers", customers.toString()}, {"transactions", transactions.toString()}}) {
            Cli.Run r = cli.run("load-csv", "--url", url, "--table", file[0],
                    Fixtures.write(dir, file[0] + ".csv", file[1]).toString());
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
                + types.get("Lost Cause") + "\\) in [0-9.]+ s \\([0-9,]+ rows?/s\\)\n"), record::toString);
        assertEquals(2357, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(2357, db.count("SELECT COUNT(DISTINCT customer_id) FROM clv_prediction"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction WHERE is_campaign1_success IS NOT NULL "
                + "OR is_campaign2_success IS NOT NULL OR predicted_at IS NULL"));
        for (List<Object> row : db.query("SELECT customer_id, clv, predicted_customer_type FROM clv_prediction")) {
            String[] e = expected.get(((Number) row.get(0)).longValue());
            // two runs of the same data: the same doubles
            assertEquals(Double.parseDouble(e[8]), ((Number) row.get(1)).doubleValue(), () -> row.toString());
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
     * The same data gives the same bytes run after run (--params and the listing), on CDNOW (a finite fit) and on
     * spend alike for everyone, where Gamma-Gamma's q and v run off together: the fit is that limit, with a note, and
     * every customer's expected_average_value is the limit's mean, the repeat purchases' mean spend sum x m / sum x.
     */
    @Test
    void theSameDataGivesTheSameBytesRunAfterRun() {
        loadCdnow();
        assertSameRunAfterRun("--as-of", AS_OF);
    }

    @Test
    void spendAlikeIsGammaGammasCommonSpendLimitRunAfterRun() {
        loadAlikeSpend(cli, db.url(), tmp, null);
        Cli.Run params = assertSameRunAfterRun();
        assertTrue(params.err().contains("ispdb: note: Gamma-Gamma's likelihood has no finite maximum (p "), params::toString);
        assertTrue(params.err().contains("towards the limit where every customer's purchases have the same mean spend"),
                params::toString);
        Map<String, Double> p = new HashMap<>();
        for (String[] row : csvRows(params.out())) {
            p.put(row[0] + " " + row[1], Double.parseDouble(row[2]));
            if (row[0].equals("gamma-gamma")) {
                assertEquals("", row[3], params::toString);
            }
        }
        assertEquals(1e8, p.get("gamma-gamma q"), 1e-6);
        double mean = p.get("gamma-gamma p") * p.get("gamma-gamma v") / p.get("gamma-gamma q");
        double spent = 0;
        double purchases = 0;
        List<String[]> rows = csvRows(run("predict", "--format", "csv").out());
        assertEquals(400, rows.size());
        for (String[] row : rows) {
            long x = Long.parseLong(row[1]);
            spent += x * Double.parseDouble(row[4]);
            purchases += x;
            assertTrue(close(mean, Double.parseDouble(row[7])), () -> String.join(",", row));
        }
        double sumXm = spent;
        double sumX = purchases;
        assertTrue(close(sumXm / sumX, mean), () -> sumXm / sumX + " " + mean);
    }

    /** predict --params and the listing, three and two times: the same bytes each time; the first --params run. */
    private Cli.Run assertSameRunAfterRun(String... options) {
        List<String> paramsArgs = new java.util.ArrayList<>(List.of(options));
        paramsArgs.addAll(List.of("--params", "--format", "csv"));
        Cli.Run first = run("predict", paramsArgs.toArray(String[]::new));
        assertEquals(0, first.exitCode(), first::toString);
        for (int i = 0; i < 2; i++) {
            Cli.Run again = run("predict", paramsArgs.toArray(String[]::new));
            assertEquals(first.out(), again.out());
            assertEquals(first.err(), again.err());
        }
        List<String> listingArgs = new java.util.ArrayList<>(List.of(options));
        listingArgs.addAll(List.of("--format", "csv"));
        Cli.Run listing = run("predict", listingArgs.toArray(String[]::new));
        assertEquals(0, listing.exitCode(), listing::toString);
        assertEquals(listing.out(), run("predict", listingArgs.toArray(String[]::new)).out());
        return first;
    }

    /** Every amount 0: 0 of the repeat customers has a positive mean spend, and the refusal says so. */
    @Test
    void allAmountsZeroIsRefusedForWantOfPositiveSpend() {
        loadAlikeSpend(cli, db.url(), tmp, "0");
        Cli.Run r = run("predict", "--record");
        assertFails(r, 1, "too few repeat customers with a positive mean spend to fit: ");
        assertTrue(r.err().matches("(?s).*: [0-9]+ of 400 customers bought on more than one day, but none of them spent "
                + "more than 0 per repeat day on average \\(amounts of 0, or refunds that outweigh the purchases\\), and the "
                + "Gamma-Gamma model of spend needs at least 3; nothing was written\n"), r::toString);
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    /**
     * Customers whose refunds outweigh their repeat purchases (a negative mean spend): Gamma-Gamma, a model of
     * positive spend, leaves them out (the fit is CDNOW's published one) and gives them the population mean
     * v p / (q - 1), so their clv is not negative; a note says how many, and so does --record's summary line.
     */
    @Test
    void refundsGetThePopulationMean() {
        loadCdnow();
        load("customers", "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,"
                + "event_observed\n9001,,,,,,\n9002,,,,,,\n9003,,,,,,\n");
        load("transactions", """
                transaction_id,customer_id,payment_method_id,transaction_date,amount
                90001,9001,1,1997-02-01,30.00
                90002,9001,1,1997-03-01,-50.00
                90003,9001,1,1997-04-01,10.00
                90004,9002,1,1997-05-01,20.00
                90005,9002,1,1997-06-01,-20.00
                90006,9003,1,1997-07-01,15.00
                90007,9003,1,1997-08-01,0
                """);
        Cli.Run params = run("predict", "--as-of", AS_OF, "--params", "--format", "csv");
        assertEquals(0, params.exitCode(), params::toString);
        String note = "ispdb: note: 3 repeat customers' mean spend per repeat day is not positive (refunds, or nothing "
                + "spent): Gamma-Gamma is a model of positive spend, so the fit leaves them out and their "
                + "expected_average_value is the population mean, as for customers without repeat purchases\n";
        assertEquals(note, params.err());
        Map<String, Double> p = new HashMap<>();
        for (String[] row : csvRows(params.out())) {
            p.put(row[0] + " " + row[1], Double.parseDouble(row[2]));
        }
        assertPublished("6.25", p.get("gamma-gamma p"), "p");
        assertPublished("3.74", p.get("gamma-gamma q"), "q");
        assertPublished("15.44", p.get("gamma-gamma v"), "v");
        double mean = p.get("gamma-gamma v") * p.get("gamma-gamma p") / (p.get("gamma-gamma q") - 1);
        Cli.Run listing = run("predict", "--as-of", AS_OF, "--format", "csv");
        assertEquals(note, listing.err());
        Map<Long, String[]> byCustomer = new HashMap<>();
        double lowest = Double.MAX_VALUE;
        for (String[] r : csvRows(listing.out())) {
            byCustomer.put(Long.parseLong(r[0]), r);
            lowest = Math.min(lowest, Double.parseDouble(r[8]));
        }
        assertEquals(2360, byCustomer.size());
        assertTrue(lowest >= 0, "lowest clv " + lowest);
        for (long id : new long[] {9001, 9002, 9003, 3}) {
            String[] r = byCustomer.get(id);
            assertTrue(near(mean, Double.parseDouble(r[7])), () -> String.join(",", r));
            assertTrue(Double.parseDouble(r[8]) > 0, () -> String.join(",", r));
        }
        assertEquals(-20.0, Double.parseDouble(byCustomer.get(9001L)[4]));
        Cli.Run record = ok("predict", "--as-of", AS_OF, "--record");
        assertTrue(record.out().matches("recorded 2360 predictions \\(Star [0-9]+, Vulnerable [0-9]+, Free Rider [0-9]+, "
                + "Lost Cause [0-9]+; 3 with a mean spend not above 0, given the population mean\\) in .*\n"),
                record::toString);
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction WHERE clv < 0"));
    }

    /** Equal to within 1e-7 relative: the closed forms written again here, from the printed parameters. */
    private static boolean near(double expected, double actual) {
        return Math.abs(expected - actual) <= 1e-7 * Math.max(1, Math.abs(expected));
    }
}
