package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** refresh-customer-stats: the customers' dates, survival_time and event_observed from their transactions. */
@ParameterizedClass(name = "{0}")
@org.junit.jupiter.params.provider.MethodSource("ispdb.testing.TestDatabase#kinds")
class RefreshCustomerStatsTest extends AnalysisTestBase {
    /**
     * Shaped like the Python tool's export: survival_time matches none of the dates, the dates match none of the
     * transactions, event_observed is whatever it was. Customer 6 has no transactions; 7 is already right.
     */
    static final String CUSTOMERS = """
            customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
            1,79,Female,2020-06-23 23:36:30.665737,2022-09-06 17:31:34.590844,468,True
            2,80,Male,2021-05-08 15:54:52.791820,2021-10-21 18:35:07.609632,152,True
            3,29,Female,2022-06-21 16:44:48.913227,2023-04-20 20:11:06.459957,235,False
            4,41,Male,2023-09-21 21:38:35.460343,2023-10-03 16:47:59.754367,6,False
            5,55,Male,,,,
            6,33,Female,2019-01-01 00:00:00.000000,2019-02-01 00:00:00.000000,12,True
            7,60,Male,2024-01-01 10:00:00.000000,2024-03-31 10:00:00.000000,90,False
            """;

    /**
     * As-of is 2024-03-31 10:00:00 (the latest, customer 7's). 1: first to last is one microsecond short of three
     * days (2 days), last transaction more than 90 days before as-of (churned). 2: exactly three days; its last
     * transaction is exactly 90 days before as-of (not more: not churned). 3: one transaction (0 days), one
     * microsecond more than 90 days before as-of (churned). 4: last time of day earlier than the first (2 days).
     * 5: one transaction. 7: first 2024-01-01 10:00, last = as-of, 90 days: already stored so.
     */
    static final String TRANSACTIONS = """
            transaction_id,customer_id,payment_method_id,transaction_date,amount
            1,1,0,2023-01-01 10:00:00.000001,10.0
            2,1,1,2023-01-04 10:00:00.000000,20.0
            3,1,2,2023-01-02 00:00:00.000000,5.5
            4,2,0,2023-12-29 10:00:00.000000,1.0
            5,2,0,2024-01-01 10:00:00.000000,2.0
            6,3,3,2024-01-01 09:59:59.999999,3.0
            7,4,4,2024-02-01 23:00:00.000000,4.0
            8,4,4,2024-02-03 22:59:59.999999,4.0
            9,5,1,2024-03-30 00:00:00.000000,4.0
            10,7,0,2024-01-01 10:00:00.000000,7.0
            11,7,0,2024-03-31 10:00:00.000000,7.0
            """;

    static final String LIST_HEADER = "customer_id,age,gender,first_transaction_date,last_transaction_date,"
            + "survival_time,event_observed";

    private void setUp(String customers, String transactions) {
        initSchema();
        load("payment-methods", Fixtures.PAYMENT_METHODS);
        load("customers", customers);
        load("transactions", transactions);
    }

    /** customer_id through event_observed of every customer, as list-customers --format csv gives them. */
    private List<String> customers() {
        String[] lines = ok("list-customers", "--limit", "0", "--format", "csv").out().split("\n");
        List<String> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            rows.add(String.join(",", List.of(f).subList(0, 7)));
        }
        return rows;
    }

    @Test
    void recomputesFromTheTransactionsOfThePythonToolsInconsistentData() {
        setUp(CUSTOMERS, TRANSACTIONS);
        Cli.Run r = ok("refresh-customer-stats");
        assertEquals("refreshed 6 customers from their transactions up to 2024-03-31 10:00:00.000000 (churned: last "
                + "transaction before 2024-01-01 10:00:00.000000): 5 rows changed; 1 customer without transactions "
                + "left as they are\n", r.out());
        assertEquals(List.of(
                "1,79,Female,2023-01-01 10:00:00.000001,2023-01-04 10:00:00.000000,2,true",
                "2,80,Male,2023-12-29 10:00:00.000000,2024-01-01 10:00:00.000000,3,false",
                "3,29,Female,2024-01-01 09:59:59.999999,2024-01-01 09:59:59.999999,0,true",
                "4,41,Male,2024-02-01 23:00:00.000000,2024-02-03 22:59:59.999999,1,false",
                "5,55,Male,2024-03-30 00:00:00.000000,2024-03-30 00:00:00.000000,0,false",
                "6,33,Female,2019-01-01 00:00:00.000000,2019-02-01 00:00:00.000000,12,true",
                "7,60,Male,2024-01-01 10:00:00.000000,2024-03-31 10:00:00.000000,90,false"), customers());
        // a second run finds nothing to change
        assertEquals("refreshed 6 customers from their transactions up to 2024-03-31 10:00:00.000000 (churned: last "
                + "transaction before 2024-01-01 10:00:00.000000): 0 rows changed; 1 customer without transactions "
                + "left as they are\n", ok("refresh-customer-stats").out());
        if (kind == TestDatabase.Kind.SQLITE) {
            // the stored form: text with a space and six fraction digits, booleans 0 and 1
            assertEquals(List.of(List.of("2023-01-01 10:00:00.000001", "text", "2023-01-04 10:00:00.000000", "text",
                    2, "integer", 1, "integer")), db.query("SELECT first_transaction_date, typeof(first_transaction_date),"
                    + " last_transaction_date, typeof(last_transaction_date), survival_time, typeof(survival_time), "
                    + "event_observed, typeof(event_observed) FROM dim_customer WHERE customer_id = 1"));
        }
    }

    @Test
    void asOfLeavesLaterTransactionsOutAndChurnAfterSetsTheDays() {
        setUp(CUSTOMERS, TRANSACTIONS);
        Cli.Run r = ok("refresh-customer-stats", "--as-of", "2024-01-01T10:00:00", "--churn-after", "3");
        // 4, 5 and 7's later transaction are after as-of: 4 and 5 have none up to it and are left as they are
        assertEquals("refreshed 4 customers from their transactions up to 2024-01-01 10:00:00.000000 (churned: last "
                + "transaction before 2023-12-29 10:00:00.000000): 4 rows changed; 3 customers without transactions "
                + "left as they are\n", r.out());
        List<String> rows = customers();
        assertEquals("1,79,Female,2023-01-01 10:00:00.000001,2023-01-04 10:00:00.000000,2,true", rows.get(0));
        assertEquals("2,80,Male,2023-12-29 10:00:00.000000,2024-01-01 10:00:00.000000,3,false", rows.get(1));
        assertEquals("3,29,Female,2024-01-01 09:59:59.999999,2024-01-01 09:59:59.999999,0,false", rows.get(2));
        assertEquals("4,41,Male,2023-09-21 21:38:35.460343,2023-10-03 16:47:59.754367,6,false", rows.get(3));
        assertEquals("5,55,Male,,,,", rows.get(4));
        assertEquals("7,60,Male,2024-01-01 10:00:00.000000,2024-01-01 10:00:00.000000,0,false", rows.get(6));
    }

    /** Random transactions with microsecond times: every customer's values as the definitions give them. */
    @Test
    void matchesTheDefinitionsOnRandomTransactions() {
        Random random = new Random(13);
        StringBuilder customers = new StringBuilder(LIST_HEADER + "\n");
        StringBuilder transactions = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,"
                + "amount\n");
        Map<Long, List<LocalDateTime>> dates = new TreeMap<>();
        LocalDateTime start = LocalDateTime.of(2022, 1, 1, 0, 0);
        long id = 1;
        for (long c = 1; c <= 60; c++) {
            customers.append(c).append(",30,Male,,,").append(random.nextInt(1000)).append(",True\n");
            int n = c % 10 == 0 ? 0 : 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                LocalDateTime t = start.plus(Duration.ofSeconds(random.nextInt(730 * 86400)))
                        .plusNanos(random.nextInt(1_000_000) * 1000L);
                if (random.nextInt(4) == 0 && !dates.getOrDefault(c, List.of()).isEmpty()) {
                    // the same time of day a whole number of days later, or one microsecond earlier
                    LocalDateTime first = dates.get(c).get(0);
                    t = first.plusDays(random.nextInt(200)).minusNanos(random.nextBoolean() ? 1000 : 0);
                }
                dates.computeIfAbsent(c, k -> new ArrayList<>()).add(t);
                transactions.append(id++).append(',').append(c).append(",0,").append(format(t)).append(",1.5\n");
            }
        }
        setUp(customers.toString(), transactions.toString());
        LocalDateTime asOf = LocalDateTime.of(2023, 6, 30, 12, 0, 0, 500_000_000);
        ok("refresh-customer-stats", "--as-of", format(asOf), "--churn-after", "45");
        Map<Long, String> expected = new HashMap<>();
        for (long c = 1; c <= 60; c++) {
            List<LocalDateTime> upTo = dates.getOrDefault(c, List.of()).stream().filter(t -> !t.isAfter(asOf)).sorted()
                    .toList();
            if (upTo.isEmpty()) {
                continue;
            }
            LocalDateTime first = upTo.get(0);
            LocalDateTime last = upTo.get(upTo.size() - 1);
            long days = Duration.between(first, last).toDays(); // whole days, rounded down (never negative here)
            boolean churned = Duration.between(last, asOf).compareTo(Duration.ofDays(45)) > 0;
            expected.put(c, c + ",30,Male," + format(first) + "," + format(last) + "," + days + "," + churned);
        }
        assertTrue(expected.size() > 30, "the fixture has customers with transactions up to as-of");
        int checked = 0;
        for (String row : customers()) {
            long c = Long.parseLong(row.substring(0, row.indexOf(',')));
            if (expected.containsKey(c)) {
                assertEquals(expected.get(c), row);
                checked++;
            } else {
                assertTrue(row.matches(c + ",30,Male,,,\\d+,true"), row);
            }
        }
        assertEquals(expected.size(), checked);
    }

    @Test
    void noTransactionsChangeNothing() {
        setUp(CUSTOMERS, "transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        String before = db.snapshot();
        assertEquals("there are no transactions: nothing to refresh (7 customers left as they are)\n",
                ok("refresh-customer-stats").out());
        assertEquals(before, db.snapshot());
    }

    @Test
    void badInputIsOneSentence() {
        setUp(CUSTOMERS, TRANSACTIONS);
        String before = db.snapshot();
        assertFails(run("refresh-customer-stats", "--as-of", "yesterday"), 2, "not a date: 'yesterday'");
        assertFails(run("refresh-customer-stats", "--as-of", "2024-02-30"), 2, "not a real date");
        assertFails(run("refresh-customer-stats", "--churn-after", "-1"), 2, "--churn-after must be 0 or more days");
        assertFails(run("refresh-customer-stats", "--churn-after", "many"), 2, "--churn-after: 'many' is not a whole number");
        // as-of minus DAYS must stay a real date (999999999 days gave the year -2735884)
        assertFails(run("refresh-customer-stats", "--churn-after", "999999999"), 2,
                "--churn-after must be 0 or more days, and at most 36500 (100 years)");
        assertEquals(before, db.snapshot());
    }

    @Test
    void withoutTheSchemaSaysSo() {
        if (kind == TestDatabase.Kind.SQLITE) {
            Cli.Run r = run("refresh-customer-stats");
            assertFails(r, 3, "there is no database at");
            return;
        }
        assertFails(run("refresh-customer-stats"), 3, "init-schema");
    }

    private static String format(LocalDateTime t) {
        return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
    }
}
