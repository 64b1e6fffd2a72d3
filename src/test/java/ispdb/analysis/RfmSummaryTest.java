package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * rfm-summary against a reference computed here, independently, from lifetimes' definitions
 * (summary_data_from_transaction_data with a monetary column): amounts summed per customer and period (pandas
 * periods: days, weeks Monday to Sunday, months), periods after as-of's left out, frequency = periods - 1,
 * recency and T from the first period's start in days / (1, 7, or numpy's month of 30.436875 days), and
 * monetary_value = the mean of the repeat periods' sums, 0 without any.
 */
@ParameterizedClass(name = "{0}")
@org.junit.jupiter.params.provider.MethodSource("ispdb.testing.TestDatabase#kinds")
class RfmSummaryTest extends AnalysisTestBase {
    record Tx(long customer, LocalDateTime date, double amount) {
    }

    record Row(long customer, long frequency, double recency, double t, double monetary) {
    }

    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** 40 customers, 2023-01 to 2023-06, several transactions a day now and then; 2023-04-02 is a Sunday. */
    static List<Tx> transactions() {
        Random random = new Random(42);
        List<Tx> txs = new ArrayList<>();
        LocalDateTime start = LocalDateTime.of(2023, 1, 1, 0, 0);
        for (long c = 1; c <= 40; c++) {
            int n = c % 7 == 0 ? 1 : 1 + random.nextInt(15);
            LocalDateTime last = start.plusMinutes(random.nextInt(180 * 24 * 60));
            for (int i = 0; i < n; i++) {
                if (random.nextInt(3) > 0 || i == 0) {
                    last = start.plusMinutes(random.nextInt(180 * 24 * 60)).plusNanos(random.nextInt(1_000_000) * 1000L);
                }
                // about a third share a day (or the very time) with the previous one
                txs.add(new Tx(c, last, Math.round(random.nextDouble() * 50000) / 100.0));
            }
        }
        // around the as-of used below (2023-04-02 12:00, a Sunday): later that day, the next day
        txs.add(new Tx(1, LocalDateTime.of(2023, 4, 2, 23, 59, 59, 999_999_000), 1.25));
        txs.add(new Tx(2, LocalDateTime.of(2023, 4, 3, 0, 0), 2.5));
        txs.add(new Tx(41, LocalDateTime.of(2023, 4, 2, 13, 0), 9.75)); // only after as-of, in as-of's day
        return txs;
    }

    static LocalDate periodStart(LocalDate d, String freq) {
        return switch (freq) {
            case "D" -> d;
            case "W" -> d.minusDays(d.getDayOfWeek().getValue() - 1); // Monday = 1
            default -> LocalDate.of(d.getYear(), d.getMonth(), 1);
        };
    }

    static Map<Long, Row> reference(List<Tx> txs, LocalDateTime asOf, String freq) {
        double unit = switch (freq) {
            case "D" -> 1;
            case "W" -> 7;
            default -> 2629746 / 86400.0; // numpy's timedelta64(1, 'M')
        };
        LocalDate end = periodStart(asOf.toLocalDate(), freq);
        Map<Long, TreeMap<LocalDate, Double>> sums = new TreeMap<>();
        for (Tx tx : txs) {
            LocalDate p = periodStart(tx.date().toLocalDate(), freq);
            if (!p.isAfter(end)) {
                sums.computeIfAbsent(tx.customer(), c -> new TreeMap<>()).merge(p, tx.amount(), Double::sum);
            }
        }
        Map<Long, Row> rows = new TreeMap<>();
        sums.forEach((c, periods) -> {
            LocalDate first = periods.firstKey();
            double repeat = 0;
            for (Map.Entry<LocalDate, Double> e : periods.tailMap(first, false).entrySet()) {
                repeat += e.getValue();
            }
            long frequency = periods.size() - 1;
            rows.put(c, new Row(c, frequency, ChronoUnit.DAYS.between(first, periods.lastKey()) / unit,
                    ChronoUnit.DAYS.between(first, end) / unit, frequency == 0 ? 0 : repeat / frequency));
        });
        return rows;
    }

    private void setUp(List<Tx> txs) {
        initSchema();
        load("payment-methods", Fixtures.PAYMENT_METHODS);
        StringBuilder customers = new StringBuilder("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n");
        for (long c = 1; c <= 42; c++) {
            customers.append(c).append(",,,,,,\n");
        }
        load("customers", customers.toString());
        StringBuilder s = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        long id = 1;
        for (Tx tx : txs) {
            s.append(id++).append(',').append(tx.customer()).append(",").append(id % 5).append(',')
                    .append(tx.date().format(FORMAT)).append(',').append(tx.amount()).append('\n');
        }
        load("transactions", s.toString());
    }

    private void assertMatches(Map<Long, Row> expected, String csv) {
        String[] lines = csv.split("\n");
        assertEquals("customer_id,frequency,recency,T,monetary_value", lines[0]);
        assertEquals(expected.size(), lines.length - 1, csv);
        int i = 1;
        for (Row e : expected.values()) {
            String[] f = lines[i++].split(",");
            assertEquals(e.customer(), Long.parseLong(f[0]), csv);
            assertEquals(e.frequency(), Long.parseLong(f[1]), () -> "frequency of " + e);
            assertTrue(close(e.recency(), Double.parseDouble(f[2])), () -> "recency of " + e + ": " + f[2]);
            assertTrue(close(e.t(), Double.parseDouble(f[3])), () -> "T of " + e + ": " + f[3]);
            assertTrue(close(e.monetary(), Double.parseDouble(f[4])), () -> "monetary_value of " + e + ": " + f[4]);
        }
    }

    @Test
    void everyFrequencyMatchesTheDefinitionsUpToTheLatestTransaction() {
        List<Tx> txs = transactions();
        setUp(txs);
        LocalDateTime latest = txs.stream().map(Tx::date).max(LocalDateTime::compareTo).orElseThrow();
        for (String freq : List.of("D", "W", "M")) {
            Map<Long, Row> expected = reference(txs, latest, freq);
            assertTrue(expected.values().stream().anyMatch(r -> r.frequency() > 3), "repeat customers");
            assertTrue(expected.values().stream().anyMatch(r -> r.frequency() == 0), "one-period customers");
            assertMatches(expected, ok("rfm-summary", "--freq", freq, "--format", "csv").out());
        }
    }

    @Test
    void asOfLeavesOutTheTransactionsAfterItsPeriod() {
        List<Tx> txs = transactions();
        setUp(txs);
        for (String freq : List.of("d", "W", "m")) {
            Map<Long, Row> expected = reference(txs, LocalDateTime.of(2023, 4, 2, 12, 0), freq.toUpperCase());
            // customer 41's one transaction is after as-of, but in its day (and week, and month)
            assertTrue(expected.containsKey(41L));
            assertMatches(expected, ok("rfm-summary", "--as-of", "2023-04-02 12:00:00", "--freq", freq, "--format",
                    "csv").out());
        }
        // as-of before every transaction: no customers
        assertEquals("customer_id,frequency,recency,T,monetary_value\n",
                ok("rfm-summary", "--as-of", "2020-01-01", "--format", "csv").out());
    }

    @Test
    void tableAndJson() throws Exception {
        List<Tx> txs = List.of(new Tx(1, LocalDateTime.of(2023, 1, 1, 10, 0), 10),
                new Tx(1, LocalDateTime.of(2023, 1, 1, 18, 0), 5),
                new Tx(1, LocalDateTime.of(2023, 1, 3, 9, 0), 20),
                new Tx(1, LocalDateTime.of(2023, 1, 11, 9, 0), 40.5),
                new Tx(2, LocalDateTime.of(2023, 1, 5, 9, 0), 7));
        setUp(txs);
        assertEquals("""
                customer_id  frequency  recency   T  monetary_value
                -----------  ---------  -------  --  --------------
                          1          2       10  10           30.25
                          2          0        0   6            0.00
                (2 customers)
                """, ok("rfm-summary").out());
        JsonNode json = new ObjectMapper().readTree(ok("rfm-summary", "--format", "json").out());
        assertEquals(2, json.size());
        assertEquals(1, json.get(0).get("customer_id").asLong());
        assertEquals(2, json.get(0).get("frequency").asLong());
        assertEquals(10.0, json.get(0).get("recency").doubleValue());
        assertEquals(10.0, json.get(0).get("T").doubleValue());
        assertEquals(30.25, json.get(0).get("monetary_value").doubleValue());
        assertEquals(0.0, json.get(1).get("monetary_value").doubleValue());
    }

    @Test
    void badInputIsOneSentence() {
        initSchema();
        assertFails(run("rfm-summary", "--freq", "Q"), 2, "'Q' is not one of D, W, M");
        assertFails(run("rfm-summary", "--as-of", "2023-13-01"), 2, "not a real date");
        assertFails(run("rfm-summary", "--format", "xml"), 2, "'xml' is not one of table, csv, json");
        // no transactions: an empty listing
        assertEquals("customer_id,frequency,recency,T,monetary_value\n", ok("rfm-summary", "--format", "csv").out());
    }
}
