package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.model.CustomerCounts;
import ispdb.model.Headline;
import ispdb.model.MonthlyRevenue;
import ispdb.model.RfmSummary;
import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The customers' purchase summaries (customer_purchase_summary): kept by every kind of load (insert, upsert that
 * moves transactions between customers, skip-existing), and what refresh-customer-stats, rfm-summary, predict and
 * report read from them equal, to the last bit, what they compute from every transaction. The amounts are doubles
 * with many digits, refunds and sizes far apart, so that an order of addition that differed would show.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class PurchaseSummaryTest extends AnalysisTestBase {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    static final int CUSTOMERS = 40;

    private final Random random = new Random(24);

    /** Transactions {@code from}..{@code to} (ids), several a day for some customers, in 2023 up to {@code lastDay}. */
    private String transactions(long from, long to, int days) {
        StringBuilder s = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        for (long id = from; id <= to; id++) {
            s.append(row(id, 1 + random.nextInt(CUSTOMERS), days));
        }
        return s.toString();
    }

    private String row(long id, long customer, int days) {
        LocalDateTime date = LocalDateTime.of(2023, 1, 1, 0, 0).plusDays(random.nextInt(days))
                .plusSeconds(random.nextInt(86_400)).plusNanos(random.nextInt(1_000_000) * 1000L);
        double amount = switch (random.nextInt(6)) {
            case 0 -> random.nextDouble() * 1e7;
            case 1 -> -random.nextDouble() * 100; // a refund
            case 2 -> random.nextDouble() / 1000;
            default -> random.nextDouble() * 500;
        };
        return id + "," + customer + "," + random.nextInt(3) + "," + FORMAT.format(date) + "," + amount + "\n";
    }

    private void loadTransactions(String content, String... options) {
        List<String> args = new ArrayList<>(List.of("load-csv", "--url", db.url(), "--table", "fact_transaction"));
        args.addAll(List.of(options));
        args.add(Fixtures.write(tmp, "tx-" + random.nextInt(1_000_000) + ".csv", content).toString());
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
    }

    private void setUpSchema() {
        initSchema();
        load("dim_payment_method", "payment_method_id,payment_method_name\n0,Cash\n1,Card\n2,Transfer\n");
        StringBuilder c = new StringBuilder("customer_id,age,gender,first_transaction_date,last_transaction_date,"
                + "survival_time,event_observed\n");
        for (int i = 1; i <= CUSTOMERS + 5; i++) {
            c.append(i).append(",40,Female,,,,\n");
        }
        load("dim_customer", c.toString());
    }

    /** check's stale-summary findings (lines of its CSV output). */
    private List<String> staleSummaries() {
        Cli.Run r = run("check", "--format", "csv");
        List<String> lines = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.contains(",stale-summary,")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private void assertSummariesAgree(String after) {
        assertEquals(List.of(), staleSummaries(), "after " + after);
    }

    /** Every kind of load keeps the summaries: check finds none that disagree with the transactions. */
    @Test
    void loadsKeepTheSummaries() {
        keepsTheSummaries();
    }

    /**
     * The same loads when they look their keys up in the table (as a day's file into years of transactions does:
     * ispdb.load.RowChecker's probe, here for every source through its test-only bound): the same rows are
     * replaced, skipped or refused, and the summaries agree.
     */
    @Test
    void loadsThatProbeTheirKeysKeepTheSummaries() {
        String property = "ispdb.test.probeExistingRows";
        System.setProperty(property, "0");
        try {
            keepsTheSummaries();
            Cli.Run again = cli.run("load-csv", "--url", db.url(), "--table", "fact_transaction", Fixtures.write(tmp,
                    "again.csv", "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                            + "700,1,0,2023-06-01 00:00:00.000000,1.0\n3,1,0,2023-06-01 00:00:00.000000,1.0\n")
                    .toString());
            assertEquals(1, again.exitCode(), again::toString);
            assertTrue(again.err().contains(":3: transaction_id: 3 is already in fact_transaction"), again::toString);
        } finally {
            System.clearProperty(property);
        }
    }

    private void keepsTheSummaries() {
        setUpSchema();
        assertSummariesAgree("no transactions");
        loadTransactions(transactions(1, 400, 120));
        assertSummariesAgree("the first load");
        loadTransactions(transactions(401, 500, 121));
        assertSummariesAgree("an append");
        // an upsert that moves transactions to other customers (the former customers' summaries change too) and adds
        StringBuilder upsert = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        for (long id = 1; id <= 60; id += 3) {
            upsert.append(row(id, 1 + random.nextInt(CUSTOMERS), 130));
        }
        upsert.append(row(501, CUSTOMERS + 1, 130));
        loadTransactions(upsert.toString(), "--mode", "upsert");
        assertSummariesAgree("an upsert");
        // skip-existing: the rows already there are left as they are
        StringBuilder skip = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        skip.append(row(2, CUSTOMERS + 2, 130)).append(row(502, CUSTOMERS + 3, 131)).append(row(503, 5, 131));
        loadTransactions(skip.toString(), "--mode", "skip-existing");
        assertSummariesAgree("a skip-existing load");
        assertEquals(0, db.count("SELECT COUNT(*) FROM customer_purchase_summary WHERE customer_id = "
                + (CUSTOMERS + 2)));
        assertEquals(CUSTOMERS + 2, db.count("SELECT COUNT(*) FROM customer_purchase_summary"));
        // a load that fails leaves them as they were (all or nothing)
        Cli.Run bad = cli.run("load-csv", "--url", db.url(), "--table", "fact_transaction", Fixtures.write(tmp,
                "bad.csv", "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                        + "600,1,0,2023-06-01 00:00:00.000000,1.0\n601,999,0,2023-06-01 00:00:00.000000,1.0\n")
                .toString());
        assertEquals(1, bad.exitCode(), bad::toString);
        assertSummariesAgree("a failed load");
    }

    /**
     * What the readers take from the summaries equals what they compute from every transaction, to the last bit:
     * rfm-summary's rows (and so predict's), the report's headline, refresh-customer-stats' counts and rows.
     */
    @Test
    void readersGetTheFullComputationsResults() {
        setUpSchema();
        loadTransactions(transactions(1, 1500, 200));
        loadTransactions(transactions(1501, 1800, 201));
        try (Database d = Database.open(new Database.Settings(db.url(), null, null, 5_000), false)) {
            d.useMappers(AnalysisMapper.class);
            List<RfmSummary> read = Rfm.read(d, null, Rfm.Freq.D, "read", rows -> {
                List<RfmSummary> all = new ArrayList<>();
                rows.forEachRemaining(all::add);
                return all;
            });
            try (SqlSession s = d.session(ExecutorType.SIMPLE)) {
                AnalysisMapper mapper = s.getMapper(AnalysisMapper.class);
                LocalDateTime latest = mapper.latestTransactionDate();
                Map<String, Object> p = new HashMap<>();
                LocalDate day = latest.toLocalDate();
                p.put("freq", "D");
                p.put("periodDays", 1.0);
                p.put("asOfPeriod", day.toString());
                p.put("periodEnd", day.plusDays(1).atStartOfDay());
                List<RfmSummary> full = rows(mapper.rfmSummary(p));
                assertEquals(CUSTOMERS, full.size());
                assertEquals(full, rows(mapper.rfmSummaryOfDays(p)));
                assertEquals(full, read);
                assertTrue(full.stream().anyMatch(r -> r.frequency() > 3), "repeat customers");

                Headline fromSummary = mapper.headline(latest, true);
                assertEquals(mapper.headline(latest, false), fromSummary);
                assertEquals(1800, fromSummary.transactions());
                CustomerCounts counts = mapper.customerCounts(latest, true);
                assertEquals(mapper.customerCounts(latest, false), counts);

                // the report's revenue per month and payment method: the kept months (and as-of's computed) equal
                // every month computed from the transactions, up to the latest and up to an as-of within a month
                List<MonthlyRevenue> months = mapper.monthlyRevenue(latest, true);
                assertEquals(everyMonthComputed(mapper, latest), months);
                assertEquals(months, mapper.monthlyRevenue(latest, false));
                assertTrue(months.size() >= 3 * 6, "several months of three payment methods: " + months);
                LocalDateTime within = LocalDateTime.of(2023, 4, 17, 12, 0);
                List<MonthlyRevenue> toWithin = mapper.monthlyRevenue(within, false);
                assertEquals(everyMonthComputed(mapper, within), toWithin);
                assertEquals("2023-04", toWithin.get(toWithin.size() - 1).month());
            }
        }
        ok("refresh-customer-stats"); // from the summaries
        try (Database d = Database.open(new Database.Settings(db.url(), null, null, 5_000), false)) {
            d.useMappers(AnalysisMapper.class);
            try (SqlSession s = d.writeSession(ExecutorType.SIMPLE)) {
                AnalysisMapper mapper = s.getMapper(AnalysisMapper.class);
                LocalDateTime latest = mapper.latestTransactionDate();
                assertEquals(0, mapper.refreshCustomerStats(latest, latest.minusDays(90), false),
                        "the full computation changes nothing after the refresh from the summaries");
                s.rollback(true);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        // as-of before the latest transaction: computed from the transactions, as before
        Cli.Run earlier = ok("rfm-summary", "--as-of", "2023-03-01 00:00:00", "--format", "csv");
        assertEquals(CUSTOMERS, csvRows(earlier.out()).size(), earlier::toString);
    }

    /** The revenue per month and payment method up to {@code asOf}, every month computed from the transactions. */
    private static List<MonthlyRevenue> everyMonthComputed(AnalysisMapper mapper, LocalDateTime asOf) {
        return mapper.monthlyRevenue("0000-00", null, null, asOf); // no kept month is before "0000-00"
    }

    private static List<RfmSummary> rows(Cursor<RfmSummary> cursor) {
        List<RfmSummary> rows = new ArrayList<>();
        cursor.forEach(rows::add);
        return rows;
    }

    /** check names the customers whose summary disagrees, in one finding; refresh-customer-stats --full mends them. */
    @Test
    void checkFindsAndFullRefreshMends() {
        setUpSchema();
        loadTransactions(transactions(1, 300, 60));
        db.update("UPDATE customer_purchase_summary SET total_amount = total_amount + 1 WHERE customer_id = 3");
        db.update("DELETE FROM customer_purchase_summary WHERE customer_id = 7");
        db.update("UPDATE monthly_revenue SET revenue = revenue + 1 WHERE month = '2023-02' AND payment_method_id = 1");
        List<String> found = staleSummaries();
        assertEquals(2, found.size(), found::toString);
        assertTrue(found.get(0).startsWith("customer_purchase_summary,3,stale-summary,"), found::toString);
        assertTrue(found.get(0).contains("the purchase summaries of 2 customers (3 and 7) disagree with the "
                + "transactions: 'ispdb refresh-customer-stats --full' makes them again"), found::toString);
        assertTrue(found.get(1).startsWith("monthly_revenue,2023-02,stale-summary,the revenue of month 2023-02 "
                + "disagrees with the transactions: 'ispdb refresh-customer-stats --full' makes them again"),
                found::toString);
        db.update("DELETE FROM monthly_revenue WHERE month = '2023-01' AND payment_method_id = 2");
        db.update("INSERT INTO monthly_revenue (month, payment_method_id, revenue) VALUES ('2024-05', 0, 1)");
        found = staleSummaries();
        assertTrue(found.get(1).contains("the revenue of 3 months (2023-01, 2023-02 and 2024-05) disagree"),
                found::toString);
        Cli.Run check = run("check");
        assertEquals(1, check.exitCode(), check::toString);
        Cli.Run full = ok("refresh-customer-stats", "--full");
        assertTrue(full.out().startsWith("refreshed "), full::toString);
        assertSummariesAgree("refresh-customer-stats --full");
    }
}
