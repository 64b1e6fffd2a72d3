package ispdb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * list-customers: the latest prediction of each customer, the filters, the orders, paging and the three formats. The
 * tests that only read the fixtures share one database of each kind, made and seeded by the first of them; the tests
 * that write, or need other data, make their own.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListCustomersTest extends DatabaseTest {
    /** Ids 1-5; 4 has no values at all; genders in mixed case. */
    static final String CUSTOMERS = """
            customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
            1,30,Female,2021-01-01 08:00:00.000000,2022-01-01 10:00:00.000001,365,True
            2,45,male,2020-05-05 12:00:00.500000,2023-03-03 09:15:00.250000,1032,False
            3,60,MALE,2019-02-02 00:00:00.000000,2021-06-06 06:06:06.060606,855,True
            4,,,,,,
            5,25,Female,2023-01-15 10:30:00.123456,2023-12-12 23:59:59.999999,331,False
            """;

    /**
     * Latest per customer: 1 → id 2 (newest predicted_at, though 5 has a higher id); 2 → id 4 (same predicted_at as
     * 3, higher id; listed first on purpose); 3 → id 6 (one microsecond newer than 7); 4 → none; 5 → id 8.
     */
    static final String PREDICTIONS = """
            prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success,predicted_at
            1,1,100.0,Star,True,True,2024-01-01 00:00:00.000000
            2,1,500.25,Loyal,False,,2024-02-01 00:00:00.000000
            5,1,999.0,Star,,,2024-01-15 00:00:00.000000
            4,2,50.5,Lost Cause,,False,2024-03-01 00:00:00.000000
            3,2,900.0,Star,True,True,2024-03-01 00:00:00.000000
            6,3,700.0,Star,True,False,2023-01-01 00:00:00.123456
            7,3,10.0,Free Rider,False,False,2023-01-01 00:00:00.123455
            8,5,300.0,star,True,,2024-05-05 05:05:05.500000
            """;

    static final String HEADER = "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,"
            + "event_observed,prediction_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success,"
            + "predicted_at";

    static final Map<Long, String> CSV_ROWS = Map.of(
            1L, "1,30,Female,2021-01-01 08:00:00.000000,2022-01-01 10:00:00.000001,365,true,2,500.25,Loyal,false,,"
                    + "2024-02-01 00:00:00.000000",
            2L, "2,45,male,2020-05-05 12:00:00.500000,2023-03-03 09:15:00.250000,1032,false,4,50.5,Lost Cause,,false,"
                    + "2024-03-01 00:00:00.000000",
            3L, "3,60,MALE,2019-02-02 00:00:00.000000,2021-06-06 06:06:06.060606,855,true,6,700.0,Star,true,false,"
                    + "2023-01-01 00:00:00.123456",
            4L, "4,,,,,,,,,,,,",
            5L, "5,25,Female,2023-01-15 10:30:00.123456,2023-12-12 23:59:59.999999,331,false,8,300.0,star,true,,"
                    + "2024-05-05 05:05:05.500000");

    private void load(String table, String name, String content) {
        Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", table,
                Fixtures.write(tmp, name, content).toString());
        assertEquals(0, r.exitCode(), r::toString);
    }

    /** The database with the fixtures that the reading tests share, once made; and where its SQLite file is. */
    private TestDatabase shared;
    private Path sharedFolder;

    @Override
    protected boolean databasePerTest() {
        return false;
    }

    /** The shared database with the fixtures (made and seeded by the first test that asks) as this test's. */
    private void setUp() {
        if (shared == null) {
            try {
                sharedFolder = Files.createTempDirectory("ispdb-list-customers-");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // a server that is not reachable skips (or on CI fails) each test that asks, here
            TestDatabase made = TestDatabase.create(kind, sharedFolder);
            try {
                db = made;
                seed();
            } catch (RuntimeException | Error e) {
                made.close();
                db = null;
                throw e;
            }
            shared = made;
        }
        db = shared;
    }

    /** A new empty database of this test's own. */
    private void fresh() {
        db = TestDatabase.create(kind, tmp);
    }

    /** The schema and the fixtures in this test's database. */
    private void seed() {
        Cli.Run init = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, init.exitCode(), init::toString);
        load("customers", "customers.csv", CUSTOMERS);
        load("predictions", "predictions.csv", PREDICTIONS);
    }

    /** Drops the test's own database (not the shared one). */
    @AfterEach
    void dropOwnDatabase() {
        if (db != null && db != shared) {
            db.close();
        }
        db = null;
    }

    @AfterParameterizedClassInvocation
    void dropSharedDatabase() throws IOException {
        if (shared != null) {
            shared.close();
            shared = null;
        }
        if (sharedFolder != null) {
            try (Stream<Path> paths = Files.walk(sharedFolder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            sharedFolder = null;
        }
    }

    private Cli.Run list(String... options) {
        List<String> args = new ArrayList<>(List.of("list-customers", "--url", db.url()));
        args.addAll(List.of(options));
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
        return r;
    }

    /** The customer ids that list-customers --format csv gives, in its order. */
    private List<Long> ids(String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--format", "csv"));
        String[] lines = list(args.toArray(String[]::new)).out().split("\n");
        assertEquals(HEADER, lines[0]);
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            ids.add(Long.parseLong(lines[i].substring(0, lines[i].indexOf(','))));
        }
        return ids;
    }

    @Test
    void csvHasEveryColumnOfEachCustomerWithItsLatestPrediction() {
        setUp();
        Cli.Run r = list("--format", "csv");
        assertEquals(HEADER + "\n" + CSV_ROWS.get(1L) + "\n" + CSV_ROWS.get(2L) + "\n" + CSV_ROWS.get(3L) + "\n"
                + CSV_ROWS.get(4L) + "\n" + CSV_ROWS.get(5L) + "\n", r.out());
    }

    @Test
    void tableIsAlignedTextWithAHeader() {
        setUp();
        Cli.Run r = list();
        assertEquals("""
                customer_id  age  gender  first_transaction  last_transaction  survival_days  churned     clv  type
                -----------  ---  ------  -----------------  ----------------  -------------  -------  ------  ----------
                          1   30  Female  2021-01-01         2022-01-01                  365  yes      500.25  Loyal
                          2   45  male    2020-05-05         2023-03-03                 1032  no        50.50  Lost Cause
                          3   60  MALE    2019-02-02         2021-06-06                  855  yes      700.00  Star
                          4
                          5   25  Female  2023-01-15         2023-12-12                  331  no       300.00  star
                (5 customers)
                """, r.out());
        assertEquals("""
                customer_id  age  gender  first_transaction  last_transaction  survival_days  churned     clv  type
                -----------  ---  ------  -----------------  ----------------  -------------  -------  ------  ----
                          3   60  MALE    2019-02-02         2021-06-06                  855  yes      700.00  Star
                (1 customer)
                """, list("--type", "star", "--churned").out());
    }

    @Test
    void jsonCarriesEveryColumnWithJsonTypes() throws Exception {
        setUp();
        Cli.Run r = list("--format", "json");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertTrue(root.isArray(), r::toString);
        assertEquals(5, root.size(), r::toString);
        // one customer a line
        String[] lines = r.out().split("\n");
        assertEquals(7, lines.length, r::toString);
        assertEquals("[", lines[0]);
        assertEquals("]", lines[6]);
        assertTrue(lines[1].startsWith("  {\"customer_id\":1,\"age\":30,") && lines[1].endsWith("},"), r::toString);
        assertEquals("  {\"customer_id\":4,\"age\":null,\"gender\":null,\"first_transaction_date\":null,"
                + "\"last_transaction_date\":null,\"survival_time\":null,\"event_observed\":null,\"prediction_id\":null,"
                + "\"clv\":null,\"predicted_customer_type\":null,\"is_campaign1_success\":null,"
                + "\"is_campaign2_success\":null,\"predicted_at\":null},", lines[4]);
        assertTrue(lines[5].endsWith("}"), r::toString);
        for (JsonNode row : root) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = row.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            assertEquals(List.of(HEADER.split(",")), names, r::toString);
        }
        JsonNode c1 = root.get(0);
        assertTrue(c1.get("customer_id").isIntegralNumber() && c1.get("customer_id").asLong() == 1, r::toString);
        assertTrue(c1.get("age").isIntegralNumber() && c1.get("age").asInt() == 30, r::toString);
        assertTrue(c1.get("gender").isTextual() && c1.get("gender").asText().equals("Female"), r::toString);
        assertEquals("2021-01-01 08:00:00.000000", c1.get("first_transaction_date").textValue());
        assertEquals("2022-01-01 10:00:00.000001", c1.get("last_transaction_date").textValue());
        assertTrue(c1.get("survival_time").isIntegralNumber() && c1.get("survival_time").asInt() == 365);
        assertTrue(c1.get("event_observed").isBoolean() && c1.get("event_observed").booleanValue());
        assertTrue(c1.get("prediction_id").isIntegralNumber() && c1.get("prediction_id").asLong() == 2);
        assertTrue(c1.get("clv").isNumber() && c1.get("clv").doubleValue() == 500.25, r::toString);
        assertEquals("Loyal", c1.get("predicted_customer_type").textValue());
        assertTrue(c1.get("is_campaign1_success").isBoolean() && !c1.get("is_campaign1_success").booleanValue());
        assertTrue(c1.get("is_campaign2_success").isNull(), r::toString);
        assertEquals("2024-02-01 00:00:00.000000", c1.get("predicted_at").textValue());

        JsonNode c2 = root.get(1);
        assertEquals(4, c2.get("prediction_id").asLong());
        assertTrue(c2.get("event_observed").isBoolean() && !c2.get("event_observed").booleanValue());
        assertEquals(50.5, c2.get("clv").doubleValue());
        assertTrue(c2.get("is_campaign1_success").isNull());

        JsonNode c3 = root.get(2);
        assertEquals(6, c3.get("prediction_id").asLong());
        assertEquals("2023-01-01 00:00:00.123456", c3.get("predicted_at").textValue());

        JsonNode c4 = root.get(3);
        assertEquals(4, c4.get("customer_id").asLong());
        for (String column : HEADER.split(",")) {
            if (!column.equals("customer_id")) {
                assertTrue(c4.get(column).isNull(), column + " of customer 4: " + r);
            }
        }
        assertEquals(5, root.get(4).get("customer_id").asLong());
        assertEquals("star", root.get(4).get("predicted_customer_type").textValue());
    }

    @Test
    void emptyResultInEachFormat() throws Exception {
        setUp();
        assertEquals(HEADER + "\n", list("--gender", "other", "--format", "csv").out());
        Cli.Run json = list("--gender", "other", "--format", "json");
        assertEquals("[]\n", json.out());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertTrue(root.isArray() && root.isEmpty(), json::toString);
        assertEquals("""
                customer_id  age  gender  first_transaction  last_transaction  survival_days  churned  clv  type
                -----------  ---  ------  -----------------  ----------------  -------------  -------  ---  ----
                (0 customers)
                """, list("--gender", "other").out());
    }

    @Test
    void latestPredictionIsNewestPredictedAtThenHighestId() {
        fresh(); // it records predictions
        seed();
        // a prediction recorded now is newer than any of the fixtures, whatever its id
        Cli.Run r = cli.run("record-prediction", "--url", db.url(), "--customer", "3", "--clv", "1.5", "--type", "Gone");
        assertEquals(0, r.exitCode(), r::toString);
        long id = Long.parseLong(r.out().strip());
        String row3 = list("--format", "csv", "--min-age", "60").out().split("\n")[1];
        assertTrue(row3.startsWith("3,60,MALE,2019-02-02 00:00:00.000000,2021-06-06 06:06:06.060606,855,true," + id
                + ",1.5,Gone,,,"), row3);
        // an older prediction with a higher id does not replace it
        load("predictions", "old.csv", "prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,"
                + "is_campaign2_success,predicted_at\n100,3,2.5,Old,,,2000-01-01 00:00:00\n");
        assertEquals(row3, list("--format", "csv", "--min-age", "60").out().split("\n")[1]);
    }

    @Test
    void genderIgnoresCase() {
        setUp();
        assertEquals(List.of(1L, 5L), ids("--gender", "female"));
        assertEquals(List.of(1L, 5L), ids("--gender", "FEMALE"));
        assertEquals(List.of(2L, 3L), ids("--gender", "Male"));
        assertEquals(List.of(), ids("--gender", "fem"));
    }

    @Test
    void ageRange() {
        setUp();
        assertEquals(List.of(1L, 2L), ids("--min-age", "30", "--max-age", "45"));
        assertEquals(List.of(3L), ids("--min-age", "46"));
        assertEquals(List.of(1L, 5L), ids("--max-age", "30"));
        assertEquals(List.of(), ids("--min-age", "61"));
    }

    @Test
    void churnedOrActive() {
        setUp();
        assertEquals(List.of(1L, 3L), ids("--churned"));
        assertEquals(List.of(2L, 5L), ids("--active"));
        assertEquals(List.of(5L), ids("--active", "--gender", "female"));
    }

    @Test
    void churnedAndActiveTogetherIsAUsageError() {
        setUp();
        Cli.Run r = cli.run("list-customers", "--url", db.url(), "--churned", "--active");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: Error: --churned, --active are mutually exclusive (specify only one)\n"
                + "Try 'ispdb list-customers --help' for more information.\n", r.err());
    }

    @Test
    void typeMatchesOnlyTheLatestPrediction() {
        setUp();
        // 1 and 2 had Star predictions, but their latest are Loyal and Lost Cause
        assertEquals(List.of(3L, 5L), ids("--type", "Star"));
        assertEquals(List.of(3L, 5L), ids("--type", "STAR"));
        assertEquals(List.of(2L), ids("--type", "lost cause"));
        assertEquals(List.of(), ids("--type", "Free Rider"));
    }

    @Test
    void minClvLooksAtTheLatestPrediction() {
        setUp();
        assertEquals(List.of(1L, 3L, 5L), ids("--min-clv", "300"));
        assertEquals(List.of(1L, 3L), ids("--min-clv", "300.01"));
        assertEquals(List.of(), ids("--min-clv", "800")); // 2's older prediction had 900
        assertEquals(List.of(1L, 2L, 3L, 5L), ids("--min-clv", "-1")); // 4 has no prediction
    }

    @Test
    void sortOrdersPutCustomersWithoutAValueLast() {
        setUp();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids("--sort", "id"));
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), ids("--sort", "id", "--desc"));
        assertEquals(List.of(5L, 1L, 2L, 3L, 4L), ids("--sort", "age"));
        assertEquals(List.of(3L, 2L, 1L, 5L, 4L), ids("--sort", "age", "--desc"));
        assertEquals(List.of(2L, 5L, 1L, 3L, 4L), ids("--sort", "clv"));
        assertEquals(List.of(3L, 1L, 5L, 2L, 4L), ids("--sort", "clv", "--desc"));
        assertEquals(List.of(3L, 1L, 2L, 5L, 4L), ids("--sort", "last-transaction"));
        assertEquals(List.of(5L, 2L, 1L, 3L, 4L), ids("--sort", "last-transaction", "--desc"));
        assertEquals(List.of(5L, 1L, 2L, 3L, 4L), ids("--sort", "AGE"));
    }

    /**
     * --sort clv reads the customers with a latest prediction first and those with none after them (two queries):
     * every --limit/--offset window is the same slice of the whole order, across the boundary too, with filters.
     */
    @Test
    void clvOrderPagesAcrossCustomersWithoutAPrediction() {
        setUp();
        assertEquals(List.of(2L, 4L), ids("--sort", "clv", "--desc", "--offset", "3", "--limit", "2"));
        assertEquals(List.of(4L), ids("--sort", "clv", "--desc", "--offset", "4"));
        assertEquals(List.of(), ids("--sort", "clv", "--desc", "--offset", "5"));
        for (List<String> order : List.of(List.of("--sort", "clv"), List.of("--sort", "clv", "--desc"),
                List.of("--sort", "clv", "--active"), List.of("--sort", "clv", "--desc", "--max-age", "50"))) {
            List<Long> all = ids(args(order, "--limit", "0"));
            for (int offset = 0; offset <= all.size() + 1; offset++) {
                for (int limit : List.of(1, 2, all.size() + 1)) {
                    List<Long> expected = all.subList(Math.min(offset, all.size()),
                            Math.min(offset + limit, all.size()));
                    assertEquals(expected, ids(args(order, "--offset", Integer.toString(offset), "--limit",
                            Integer.toString(limit))), order + " offset " + offset + " limit " + limit);
                }
            }
        }
        assertEquals(List.of(2L, 5L), ids("--sort", "clv", "--active")); // 4 has no event_observed
        assertEquals(List.of(1L, 5L, 2L), ids("--sort", "clv", "--desc", "--max-age", "50"));
    }

    private static String[] args(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void unknownSortIsAUsageError() {
        setUp();
        String before = db.snapshot();
        Cli.Run r = cli.run("list-customers", "--url", db.url(), "--sort", "age; DROP TABLE dim_customer");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: --sort: 'age; DROP TABLE dim_customer' is not one of id, age, "
                + "clv, last-transaction\nTry 'ispdb list-customers --help' for more information.\n", r.err());
        assertEquals(before, db.snapshot());
    }

    @Test
    void limitAndOffset() {
        setUp();
        assertEquals(List.of(1L, 2L), ids("--limit", "2"));
        assertEquals(List.of(3L, 4L), ids("--limit", "2", "--offset", "2"));
        assertEquals(List.of(5L), ids("--limit", "2", "--offset", "4"));
        assertEquals(List.of(), ids("--offset", "5"));
        assertEquals(List.of(4L, 3L), ids("--sort", "id", "--desc", "--offset", "1", "--limit", "2"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids("--limit", "0"));
    }

    @Test
    void limitIsFiftyByDefaultAndZeroMeansAll() {
        fresh(); // other customers
        Cli.Run init = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, init.exitCode(), init::toString);
        StringBuilder csv = new StringBuilder(
                "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n");
        for (int i = 1; i <= 60; i++) {
            csv.append(i).append(',').append(20 + i % 7).append(",Female,,,,False\n");
        }
        load("customers", "many.csv", csv.toString());
        List<Long> first50 = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (long i = 1; i <= 60; i++) {
            all.add(i);
            if (i <= 50) {
                first50.add(i);
            }
        }
        assertEquals(first50, ids());
        assertEquals(all, ids("--limit", "0"));
        assertEquals(List.of(56L, 57L, 58L, 59L, 60L), ids("--limit", "0", "--offset", "55"));
        assertTrue(list().out().endsWith("\n(50 customers)\n"));
    }

    @Test
    void badNumbersAreUsageErrors() {
        setUp();
        String before = db.snapshot();
        String[][] cases = {
            {"--limit", "-1", "ispdb: --limit and --offset must be 0 or more\n"},
            {"--offset", "-3", "ispdb: --limit and --offset must be 0 or more\n"},
            {"--min-clv", "NaN", "ispdb: --min-clv must be a number\n"},
            {"--min-age", "x", "ispdb: --min-age: 'x' is not a whole number\n"
                    + "Try 'ispdb list-customers --help' for more information.\n"}};
        for (String[] c : cases) {
            Cli.Run r = cli.run("list-customers", "--url", db.url(), c[0], c[1]);
            assertEquals(2, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertEquals(c[2], r.err());
        }
        Cli.Run range = cli.run("list-customers", "--url", db.url(), "--min-age", "50", "--max-age", "40");
        assertEquals(2, range.exitCode(), range::toString);
        assertEquals("ispdb: --min-age 50 is more than --max-age 40\n", range.err());
        assertEquals(before, db.snapshot());
    }

    @Test
    void injectionLookingValuesMatchLiterallyAndChangeNothing() {
        setUp();
        String before = db.snapshot();
        assertEquals(List.of(), ids("--gender", "x' OR '1'='1"));
        assertEquals(List.of(), ids("--gender", "female' --"));
        assertEquals(List.of(), ids("--type", "Star; DROP TABLE dim_customer"));
        assertEquals(List.of(), ids("--type", "Star'); DELETE FROM clv_prediction; --"));
        Cli.Run table = list("--type", "Star; DROP TABLE dim_customer");
        assertTrue(table.out().endsWith("\n(0 customers)\n"), table::toString);
        assertEquals(before, db.snapshot());
        assertEquals(5, db.count("SELECT COUNT(*) FROM dim_customer"));
        assertEquals(8, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    @Test
    void missingSchemaSaysToRunInitSchema() {
        fresh(); // no schema
        if (kind == TestDatabase.Kind.SQLITE) {
            db.query("SELECT 1"); // an empty SQLite file, as a connection leaves it
        }
        Cli.Run r = cli.run("list-customers", "--url", db.url());
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: " + describe() + " has no ispdb schema: create it with 'ispdb init-schema'\n", r.err());
    }
}
