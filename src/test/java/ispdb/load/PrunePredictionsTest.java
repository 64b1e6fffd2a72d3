package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * prune-predictions: --keep-latest, --older-than, both, --dry-run, the journal entry, bad durations; a customer's
 * latest prediction (ties on predicted_at broken by the higher prediction_id, as list-customers does) never goes.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class PrunePredictionsTest extends DatabaseTest {
    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final String RECENT = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).format(STORED);

    @AfterEach
    void batchesBack() {
        PredictionPruning.batchRows = PredictionPruning.BATCH_ROWS;
    }

    /**
     * Customers 0-4 and their predictions (id: customer, predicted_at): customer 1 one a day in January 2020 (ids
     * 1-5), customer 2 two tied at its latest time (ids 21 and 20, given in that order) and an older one (22),
     * customer 3 one old prediction only, customer 0 an old one and a recent one (an hour ago).
     */
    private void setUp() {
        initSchema();
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--table", "customers",
                Fixtures.write(tmp, "customers.csv", Fixtures.CUSTOMERS).toString());
        assertEquals(0, load.exitCode(), load::toString);
        for (int day = 1; day <= 5; day++) {
            insert(day, 1, "2020-01-0" + day + " 00:00:00.000000");
        }
        insert(21, 2, "2020-02-01 12:00:00.000000");
        insert(20, 2, "2020-02-01 12:00:00.000000");
        insert(22, 2, "2020-01-15 00:00:00.000000");
        insert(30, 3, "2019-06-01 00:00:00.000000");
        insert(40, 0, "2020-01-01 00:00:00.000000");
        insert(41, 0, RECENT);
    }

    private void insert(long id, long customer, String at) {
        db.update("INSERT INTO clv_prediction (prediction_id, customer_id, clv, predicted_at) VALUES (" + id + ", "
                + customer + ", " + (id * 10.5) + ", '" + at + "')");
    }

    private List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (List<Object> row : db.query("SELECT prediction_id FROM clv_prediction ORDER BY prediction_id")) {
            ids.add(((Number) row.get(0)).longValue());
        }
        return ids;
    }

    private Cli.Run prune(String... options) {
        List<String> args = new ArrayList<>(List.of("prune-predictions", "--url", db.url()));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new));
    }

    private Cli.Run pruneOk(String... options) {
        Cli.Run r = prune(options);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
        return r;
    }

    /** What list-customers shows: each customer's latest prediction. */
    private String latest() {
        Cli.Run list = cli.run("list-customers", "--url", db.url(), "--format", "csv");
        assertEquals(0, list.exitCode(), list::toString);
        return list.out();
    }

    @Test
    void keepLatestKeepsEachCustomersNewestAndTheTiesInOrder() {
        setUp();
        String shown = latest();
        Cli.Run r = pruneOk("--keep-latest", "2");
        assertTrue(r.out().matches("deleted 4 predictions \\(kept each customer's 2 latest\\) in \\d+\\.\\d\\d s "
                + "\\([\\d,]+ rows?/s\\)\n"), r::toString);
        // customer 1 keeps days 5 and 4; customer 2 its two tied latest; 3 its only one; 0 both
        assertEquals(List.of(4L, 5L, 20L, 21L, 30L, 40L, 41L), ids());
        assertEquals(shown, latest());

        pruneOk("--keep-latest", "1");
        // of the tie, the higher prediction_id is the latest (as list-customers says), and it stays
        assertEquals(List.of(5L, 21L, 30L, 41L), ids());
        assertEquals(shown, latest());
        // nothing left to delete
        Cli.Run again = pruneOk("--keep-latest", "1");
        assertTrue(again.out().startsWith("deleted 0 predictions (kept each customer's latest) in "), again::toString);
    }

    @Test
    void manySmallBatchesDoTheSame() {
        setUp();
        String shown = latest();
        // batches of 2 predictions: customer 1 (5 predictions) is one batch of its own, never split
        PredictionPruning.batchRows = 2;
        pruneOk("--keep-latest", "2");
        assertEquals(List.of(4L, 5L, 20L, 21L, 30L, 40L, 41L), ids());
        PredictionPruning.batchRows = 1;
        pruneOk("--keep-latest", "1");
        assertEquals(List.of(5L, 21L, 30L, 41L), ids());
        assertEquals(shown, latest());
    }

    /**
     * 50 customers with 40 predictions each, all made at the same instant, their ids interleaved (prediction i is
     * customer i % 50's): each customer's highest id stays, and only it. A Spider head with three backends once left
     * 58 here (SignalMatrixTest's fixture): a customer's oldest stayed for some customers of one backend.
     */
    @Test
    void keepLatestOverManyCustomersPredictedAtOnce() {
        initSchema();
        StringBuilder customers = new StringBuilder("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n");
        for (int c = 0; c < 50; c++) {
            customers.append(c).append(",30,Female,2021-01-01 10:00:00.000000,2023-06-30 12:30:00.250000,100,True\n");
        }
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--table", "customers",
                Fixtures.write(tmp, "customers.csv", customers.toString()).toString());
        assertEquals(0, load.exitCode(), load::toString);
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            rows.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 50).append(", ")
                    .append(i).append(".5, '2020-01-01 00:00:00.000000')");
        }
        db.update("INSERT INTO clv_prediction (prediction_id, customer_id, clv, predicted_at) VALUES " + rows);
        Cli.Run r = pruneOk("--keep-latest", "1");
        assertTrue(r.out().startsWith("deleted 1,950 predictions (kept each customer's latest) in "), r::toString);
        List<Long> expected = new ArrayList<>();
        for (long id = 1951; id <= 2000; id++) {
            expected.add(id);
        }
        assertEquals(expected, ids());
    }

    @Test
    void olderThanNeverTakesTheLatest() {
        setUp();
        String shown = latest();
        Cli.Run r = pruneOk("--older-than", "30d");
        assertTrue(r.out().startsWith("deleted 7 predictions (kept each customer's latest, and every prediction "
                + "made on or after "), r::toString);
        // customer 3's only prediction is old, and stays; customer 0's old one goes, its recent one stays
        assertEquals(List.of(5L, 21L, 30L, 41L), ids());
        assertEquals(shown, latest());
    }

    @Test
    void bothDeleteOnlyWhatBothSay() {
        setUp();
        insert(42, 0, RECENT.replace(RECENT.substring(14, 16), RECENT.substring(14, 16)) + "");
        // customer 0 now has an old prediction and two recent ones: beyond its latest 1, but not older than 30 days
        pruneOk("--keep-latest", "1", "--older-than", "P30D");
        // the recent one beyond the latest stays (not 30 days old); the old ones beyond the latest go
        assertEquals(List.of(5L, 21L, 30L, 41L, 42L), ids());
    }

    @Test
    void dryRunWritesNothing() {
        setUp();
        String before = db.snapshot();
        Cli.Run r = pruneOk("--keep-latest", "2", "--dry-run");
        assertEquals("would delete 4 predictions made from 2020-01-01 00:00:00.000000 to 2020-01-15 00:00:00.000000 "
                + "(kept each customer's 2 latest); nothing was written\n", r.out(), r::toString);
        assertEquals(before, db.snapshot());
        assertEquals(0, db.count("SELECT COUNT(*) FROM load_journal WHERE command = 'prune-predictions'"));
        Cli.Run none = pruneOk("--keep-latest", "100", "--dry-run");
        assertEquals("would delete 0 predictions (kept each customer's 100 latest); nothing was written\n",
                none.out(), none::toString);
    }

    @Test
    void oneJournalEntryWithTheCountAndMetrics() throws Exception {
        setUp();
        Path metrics = tmp.resolve("ispdb.prom");
        pruneOk("--keep-latest", "2", "--older-than", "36h", "--quiet", "--metrics-file", metrics.toString());
        assertEquals(1, db.count("SELECT COUNT(*) FROM load_journal WHERE command = 'prune-predictions'"));
        List<Object> e = db.query("SELECT command, table_name, file_name, file_size, sha256, rows_read, rows_loaded "
                + "FROM load_journal WHERE command = 'prune-predictions'").get(0);
        assertEquals(List.of("prune-predictions", "clv_prediction", "--keep-latest 2 --older-than 36h: deleted 4 "
                + "predictions", 0L, "", 4L, 0L), List.of(e.get(0), e.get(1), e.get(2), ((Number) e.get(3)).longValue(),
                ((String) e.get(4)).strip(), ((Number) e.get(5)).longValue(), ((Number) e.get(6)).longValue()));
        Cli.Run history = cli.run("history", "--url", db.url(), "--format", "csv");
        assertTrue(history.out().contains(",prune-predictions,clv_prediction,--keep-latest 2 --older-than 36h: "
                + "deleted 4 predictions,0,,4,0,0,0,"), history::toString);
        String text = Files.readString(metrics);
        assertTrue(text.contains("ispdb_rows_deleted{command=\"prune-predictions\",table=\"clv_prediction\"} 4\n"),
                text);
    }

    @Test
    void badInputIsAUsageError() {
        setUp();
        String before = db.snapshot();
        for (String[] options : new String[][] {{}, {"--keep-latest", "0"}, {"--keep-latest", "-1"},
            {"--older-than", "90"}, {"--older-than", "10m"}, {"--older-than", "P"}, {"--older-than", "-5d"},
            {"--older-than", "0d"}, {"--older-than", "ninety days"}, {"--older-than", "PT-1H"},
            {"--older-than", "999999999999w"}, {"--older-than", "P999999999Y"}, {"--older-than", ""}}) {
            Cli.Run r = prune(options);
            assertEquals(2, r.exitCode(), () -> List.of(options) + ": " + r);
            assertEquals("", r.out(), r::toString);
            assertTrue(r.err().startsWith("ispdb: "), r::toString);
            Cli.assertNoStackTrace(r);
        }
        Cli.Run m = prune("--older-than", "10m");
        assertTrue(m.err().contains("min for minutes") && m.err().contains("P10M"), m::toString);
        assertEquals(before, db.snapshot());
    }
}
