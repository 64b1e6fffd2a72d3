package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** record-prediction: one prediction from options, or many from a CSV file, all or nothing. */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class RecordPredictionTest extends DatabaseTest {
    static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}";
    static final String FILE_HEADER =
            "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n";

    /** The schema and customers 0-4. */
    private void setUp() {
        initSchema();
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--table", "customers",
                Fixtures.write(tmp, "customers.csv", Fixtures.CUSTOMERS).toString());
        assertEquals(0, load.exitCode(), load::toString);
    }

    private Cli.Run record(String... options) {
        List<String> args = new ArrayList<>(List.of("record-prediction", "--url", db.url()));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new));
    }

    /** Records and returns the prediction_id it printed (alone on standard output). */
    private long recordOk(String... options) {
        Cli.Run r = record(options);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
        assertTrue(r.out().matches("\\d+\n"), r::toString);
        return Long.parseLong(r.out().strip());
    }

    /** customer_id, clv, type, campaign 1, campaign 2, predicted_at of one prediction, as Java values. */
    private List<Object> row(long predictionId) {
        List<List<Object>> rows = db.query("SELECT customer_id, clv, predicted_customer_type, is_campaign1_success, "
                + "is_campaign2_success, predicted_at FROM clv_prediction WHERE prediction_id = " + predictionId);
        assertEquals(1, rows.size(), () -> "prediction " + predictionId + ": " + rows);
        List<Object> r = rows.get(0);
        List<Object> values = new ArrayList<>();
        values.add(((Number) r.get(0)).longValue());
        values.add(((Number) r.get(1)).doubleValue());
        values.add(r.get(2));
        values.add(bool(r.get(3)));
        values.add(bool(r.get(4)));
        values.add(timestamp(r.get(5)));
        return values;
    }

    private static Boolean bool(Object o) {
        if (o == null || o instanceof Boolean) {
            return (Boolean) o;
        }
        int i = ((Number) o).intValue();
        assertTrue(i == 0 || i == 1, "a boolean stored as " + o);
        return i == 1;
    }

    private static LocalDateTime timestamp(Object o) {
        if (o instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (o instanceof LocalDateTime t) {
            return t;
        }
        String s = (String) o;
        assertTrue(s.matches(TIMESTAMP), "a timestamp stored as '" + s + "'");
        return LocalDateTime.parse(s, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
    }

    private static void assertNow(LocalDateTime t) {
        Duration off = Duration.between(t, LocalDateTime.now(ZoneOffset.UTC)).abs();
        assertTrue(off.compareTo(Duration.ofMinutes(1)) < 0, "predicted_at " + t + " is not UTC now");
    }

    @Test
    void printsTheNewIdAndStoresTheValues() {
        setUp();
        long id = recordOk("--customer", "3", "--clv", "99.5", "--type", "Loyal", "--campaign1", "yes",
                "--campaign2", "0");
        List<Object> r = row(id);
        assertEquals(List.of(3L, 99.5, "Loyal", true, false), r.subList(0, 5));
        assertNow((LocalDateTime) r.get(5));

        long second = recordOk("--customer", "0", "--clv", "1830.25");
        assertTrue(second > id, second + " after " + id);
        List<Object> r2 = row(second);
        assertEquals(0L, r2.get(0));
        assertEquals(1830.25, r2.get(1));
        assertNull(r2.get(2));
        assertNull(r2.get(3));
        assertNull(r2.get(4));
        assertNow((LocalDateTime) r2.get(5));
        assertEquals(2, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    @Test
    void booleansInAnyCase() {
        setUp();
        String[][] words = {{"true", "true"}, {"TRUE", "true"}, {"True", "true"}, {"1", "true"}, {"yes", "true"},
            {"YES", "true"}, {"Yes", "true"}, {"false", "false"}, {"FALSE", "false"}, {"False", "false"},
            {"0", "false"}, {"no", "false"}, {"NO", "false"}, {"No", "false"}};
        for (String[] w : words) {
            boolean expected = Boolean.parseBoolean(w[1]);
            long id = recordOk("--customer", "1", "--clv", "10", "--campaign1", w[0], "--campaign2", w[0]);
            List<Object> r = row(id);
            assertEquals(expected, r.get(3), w[0]);
            assertEquals(expected, r.get(4), w[0]);
        }
    }

    @Test
    void onSqliteBooleansAreIntegersAndTimestampsText() {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "SQLite's storage classes");
        setUp();
        long id = recordOk("--customer", "2", "--clv", "418.5", "--type", "Lost Cause", "--campaign1", "TRUE",
                "--campaign2", "no");
        long bare = recordOk("--customer", "2", "--clv", "7");
        List<List<Object>> rows = db.query("SELECT typeof(customer_id), typeof(clv), typeof(predicted_customer_type), "
                + "typeof(is_campaign1_success), is_campaign1_success, typeof(is_campaign2_success), "
                + "is_campaign2_success, typeof(predicted_at), predicted_at FROM clv_prediction WHERE prediction_id = "
                + id);
        List<Object> r = rows.get(0);
        assertEquals(List.of("integer", "real", "text", "integer", 1, "integer", 0, "text"), r.subList(0, 8));
        assertTrue(((String) r.get(8)).matches(TIMESTAMP), () -> "predicted_at " + r.get(8));
        assertNow(timestamp(r.get(8)));
        assertEquals(List.of(List.of("null", "null", "text")), db.query("SELECT typeof(is_campaign1_success), "
                + "typeof(is_campaign2_success), typeof(predicted_at) FROM clv_prediction WHERE prediction_id = " + bare));
    }

    @Test
    void predictedAtIsUtcWhateverTheLocalTimeZone() {
        setUp();
        TimeZone saved = TimeZone.getDefault();
        long id;
        try {
            // 14 hours ahead of UTC: a local "now" would be far outside the minute
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            id = recordOk("--customer", "4", "--clv", "1");
        } finally {
            TimeZone.setDefault(saved);
        }
        assertNow((LocalDateTime) row(id).get(5));
    }

    @Test
    void unknownCustomerWritesNothing() {
        setUp();
        String before = db.snapshot();
        Cli.Run r = record("--customer", "77", "--clv", "5", "--type", "Star");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: unknown customer 77: dim_customer has no customer_id 77; nothing was written\n", r.err());
        assertEquals(before, db.snapshot());
    }

    @Test
    void badClvIsAUsageError() {
        setUp();
        String before = db.snapshot();
        Cli.Run r = record("--customer", "1", "--clv", "abc");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: --clv: 'abc' is not a number\n"
                + "Try 'ispdb record-prediction --help' for more information.\n", r.err());
        Cli.Run huge = record("--customer", "1", "--clv", "1e309");
        assertEquals(2, huge.exitCode(), huge::toString);
        assertEquals("ispdb: --clv: 1e309 is too large\n"
                + "Try 'ispdb record-prediction --help' for more information.\n", huge.err());
        Cli.Run word = record("--customer", "abc", "--clv", "1");
        assertEquals(2, word.exitCode(), word::toString);
        assertEquals("ispdb: --customer: 'abc' is not a whole number\n"
                + "Try 'ispdb record-prediction --help' for more information.\n", word.err());
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity"}) {
            Cli.Run n = record("--customer", "1", "--clv", bad);
            assertEquals(2, n.exitCode(), n::toString);
            assertEquals("ispdb: --clv must be a number, not " + bad + "\n", n.err());
        }
        Cli.Run missing = record("--customer", "1");
        assertEquals(2, missing.exitCode(), missing::toString);
        assertEquals("ispdb: give --customer ID and --clv X (or --file FILE)\n", missing.err());
        Cli.Run badId = record("--customer", "one", "--clv", "1");
        assertEquals(2, badId.exitCode(), badId::toString);
        assertEquals(before, db.snapshot());
    }

    @Test
    void badBooleanIsAUsageError() {
        setUp();
        String before = db.snapshot();
        for (String bad : new String[] {"maybe", "2", "", "y", "T", " yes"}) {
            Cli.Run r = record("--customer", "1", "--clv", "1", "--campaign2", bad);
            assertEquals(2, r.exitCode(), () -> "--campaign2 '" + bad + "': " + r);
            assertEquals("", r.out());
            assertEquals("ispdb: --campaign2: not true/false, 1/0 or yes/no: '" + bad + "'\n"
                    + "Try 'ispdb record-prediction --help' for more information.\n", r.err());
        }
        assertEquals(before, db.snapshot());
    }

    @Test
    void withoutSchemaExitsThree() {
        if (kind == TestDatabase.Kind.SQLITE) {
            db.query("SELECT 1");
        }
        Cli.Run r = record("--customer", "1", "--clv", "1");
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("ispdb: " + describe() + " has no ispdb schema: create it with 'ispdb init-schema'\n", r.err());
    }

    @Test
    void fileAppendsManyInOneGo() {
        setUp();
        Path file = Fixtures.write(tmp, "p.csv", FILE_HEADER + """
                0,100.5,Star,true,FALSE
                1,20,,,
                0,300.25,"Free Rider, maybe",No,yes
                """);
        Cli.Run r = record("--file", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().matches("recorded 3 predictions in \\d+\\.\\d\\d s \\([\\d,]+ rows?/s\\)\n"), r::toString);
        List<List<Object>> rows = db.query("SELECT prediction_id FROM clv_prediction ORDER BY prediction_id");
        assertEquals(3, rows.size());
        List<List<Object>> values = new ArrayList<>();
        for (List<Object> id : rows) {
            List<Object> v = row(((Number) id.get(0)).longValue());
            assertNow((LocalDateTime) v.get(5));
            values.add(v.subList(0, 5));
        }
        List<Object> second = new ArrayList<>();
        second.add(1L);
        second.add(20.0);
        second.add(null);
        second.add(null);
        second.add(null);
        assertEquals(List.of(List.of(0L, 100.5, "Star", true, false), second,
                List.of(0L, 300.25, "Free Rider, maybe", false, true)), values);
    }

    @Test
    void fileMayGiveIdsAndTimes() {
        setUp();
        Path file = Fixtures.write(tmp, "p.csv", "prediction_id,customer_id,clv,predicted_customer_type,"
                + "is_campaign1_success,is_campaign2_success,predicted_at\n"
                + "100,2,5.5,Star,1,0,2023-05-06 07:08:09.123456\n"
                + "99,3,6.5,Loyal,,,2023-05-06\n");
        Cli.Run r = record("--file", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("recorded 2 predictions in "), r::toString);
        assertEquals(List.of(2L, 5.5, "Star", true, false, LocalDateTime.of(2023, 5, 6, 7, 8, 9, 123_456_000)),
                row(100));
        List<Object> r99 = row(99);
        assertEquals(3L, r99.get(0));
        assertEquals(LocalDateTime.of(2023, 5, 6, 0, 0), r99.get(5));
        // the next id the database gives comes after the ones the file gave
        assertEquals(101, recordOk("--customer", "1", "--clv", "1"));
    }

    @Test
    void fileFromStandardInput() {
        setUp();
        Cli.Run r = cli.runWithInput(FILE_HEADER + "4,12.5,Loyal,yes,no\n", "record-prediction", "--url", db.url(),
                "--file", "-");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("recorded 1 prediction in "), r::toString);
        assertEquals(List.of(List.of(4L, 12.5)), db.query("SELECT customer_id, clv FROM clv_prediction").stream()
                .map(x -> List.<Object>of(((Number) x.get(0)).longValue(), ((Number) x.get(1)).doubleValue())).toList());
    }

    @Test
    void fileWithOneUnknownCustomerWritesNothing() {
        setUp();
        long existing = recordOk("--customer", "1", "--clv", "1");
        String before = db.snapshot();
        Path file = Fixtures.write(tmp, "p.csv", FILE_HEADER + """
                0,100.5,Star,true,false
                99,20,Loyal,,
                2,30,Star,,
                """);
        Cli.Run r = record("--file", file.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals(file + ":3: customer_id: unknown customer 99\n"
                + "rejected: 1 bad row, nothing was loaded (fix them, or load the good rows with --on-error skip "
                + "--reject-file FILE)\n", r.err());
        assertEquals(before, db.snapshot());
        assertEquals(1, db.count("SELECT COUNT(*) FROM clv_prediction WHERE prediction_id = " + existing));
    }

    @Test
    void fileWithABadValueWritesNothing() {
        setUp();
        String before = db.snapshot();
        Path file = Fixtures.write(tmp, "p.csv", FILE_HEADER + "0,1,Star,true,false\n1,abc,Star,,\n2,3,Star,perhaps,\n");
        Cli.Run r = record("--file", file.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(file + ":3: clv: not a number: 'abc'\n"
                + file + ":4: is_campaign1_success: not true/false, 1/0 or yes/no: 'perhaps'\n"
                + "rejected: 2 bad rows, nothing was loaded (fix them, or load the good rows with --on-error skip "
                + "--reject-file FILE)\n", r.err());
        assertEquals(before, db.snapshot());
    }

    @Test
    void fileTogetherWithOptionsIsAUsageError() {
        setUp();
        Path file = Fixtures.write(tmp, "p.csv", FILE_HEADER + "0,1,Star,true,false\n");
        String before = db.snapshot();
        for (String[] extra : new String[][] {{"--customer", "1"}, {"--clv", "2"}, {"--type", "Star"},
            {"--campaign1", "yes"}}) {
            Cli.Run r = record("--file", file.toString(), extra[0], extra[1]);
            assertEquals(2, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertEquals("ispdb: --file takes the predictions from the file: leave out --customer, --clv, --type, "
                    + "--campaign1 and --campaign2\n", r.err());
        }
        Cli.Run missing = record("--file", tmp.resolve("nope.csv").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertEquals("ispdb: cannot read " + tmp.resolve("nope.csv") + ": no such file\n", missing.err());
        assertEquals(before, db.snapshot());
    }

    /**
     * PostgreSQL refuses a connection when every one it allows is taken ("too many connections for role", SQLState
     * 53300, as "too many clients already" is): a transient refusal, tried again as the README promises, and the
     * prediction is recorded once a connection is free.
     */
    @Test
    void aServerWithEveryConnectionTakenIsTriedAgain() throws Exception {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.POSTGRESQL, "PostgreSQL's connection limit of a role");
        setUp();
        String role = "ispdb_limited_" + ProcessHandle.current().pid();
        db.update("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1");
        try {
            db.update("GRANT ALL ON ALL TABLES IN SCHEMA public TO " + role);
            db.update("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + role);
            String url = db.url().replace("user=postgres", "user=" + role);
            Path log = tmp.resolve("retry.log");
            java.util.concurrent.FutureTask<Cli.Run> run;
            try (java.sql.Connection held = java.sql.DriverManager.getConnection(url)) {
                run = new java.util.concurrent.FutureTask<>(() -> new Cli().run("record-prediction", "--url", url,
                        "--customer", "1", "--clv", "77.5", "--log-file", log.toString()));
                new Thread(run).start();
                // the held connection is let go once the first attempt has been refused
                long end = System.nanoTime() + 60_000_000_000L;
                while (!(java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("too many"))
                        && !run.isDone() && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertTrue(java.nio.file.Files.readString(log).contains("attempt 1 failed"),
                        () -> "the refusal is logged as a failed attempt: " + SafetySupport.read(log));
            }
            Cli.Run r = run.get();
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(1, db.count("SELECT COUNT(*) FROM clv_prediction WHERE customer_id = 1 AND clv = 77.5"));
        } finally {
            db.update("DROP OWNED BY " + role);
            db.update("DROP ROLE " + role);
        }
    }
}
