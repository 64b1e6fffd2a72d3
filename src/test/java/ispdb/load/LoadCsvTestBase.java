package ispdb.load;

import static ispdb.testing.Cli.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.math.BigDecimal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What the load-csv tests share: a database with the schema (init-schema, exit 0), the command line, and
 * assertions on what a load printed and what the database holds afterwards.
 */
abstract class LoadCsvTestBase extends DatabaseTest {
    /** The text form of a timestamp as SQLite stores it; server timestamps are rendered the same way. */
    static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    static final String CUSTOMER_COLUMNS = "customer_id, age, gender, first_transaction_date, last_transaction_date, "
            + "survival_time, event_observed";
    static final String TRANSACTION_COLUMNS = "transaction_id, customer_id, payment_method_id, transaction_date, amount";
    static final String PREDICTION_COLUMNS = "prediction_id, customer_id, clv, predicted_customer_type, "
            + "is_campaign1_success, is_campaign2_success, predicted_at";

    /** This test's own folder for the files it writes (the database may outlive the test, see subclasses). */
    Path files;

    @BeforeEach
    void makeFolderForTheTestsFiles(TestInfo test) throws IOException {
        files = Files.createDirectories(tmp.resolve("files-" + test.getTestMethod().orElseThrow().getName()));
    }

    boolean sqlite() {
        return kind == TestDatabase.Kind.SQLITE;
    }

    /** {@code ispdb load-csv --url URL ARGS...}. */
    Cli.Run load(String... args) {
        return cli.run(loadArgs(args));
    }

    /** {@code ispdb load-csv --url URL ARGS...} with {@code stdin} as standard input. */
    Cli.Run loadStdin(byte[] stdin, String... args) {
        return cli.runWithInput(stdin, loadArgs(args));
    }

    private String[] loadArgs(String... args) {
        List<String> all = new ArrayList<>(List.of("load-csv", "--url", db.url()));
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    /** A UTF-8 file in the test's folder; its path as a string, as the command line takes it. */
    String csv(String name, String content) {
        return Fixtures.write(files, name, content).toString();
    }

    String csv(String name, byte[] content) {
        return Fixtures.write(files, name, content).toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Puts the legacy payment methods (0-4) and customers (0-4) of {@link Fixtures} into the database with plain
     * SQL, stored the way ispdb stores them (on SQLite: timestamp text with six fraction digits, booleans 0/1).
     */
    void seed() {
        db.update("INSERT INTO dim_payment_method (payment_method_id, payment_method_name) VALUES "
                + "(0, 'Credit Card'), (1, 'Debit Card'), (2, 'Bank Transfer'), (3, 'Cash'), (4, 'Paypal')");
        db.update("INSERT INTO dim_customer (" + CUSTOMER_COLUMNS + ") VALUES "
                + "(0, 79, 'Female', '2020-06-23 23:36:30.665737', '2022-09-06 17:31:34.590844', 468, TRUE), "
                + "(1, 80, 'Male', '2021-05-08 15:54:52.791820', '2021-10-21 18:35:07.609632', 152, TRUE), "
                + "(2, 29, 'Female', '2022-06-21 16:44:48.913227', '2023-04-20 20:11:06.459957', 235, FALSE), "
                + "(3, 41, 'Male', '2023-09-21 21:38:35.460343', '2023-10-03 16:47:59.754367', 6, FALSE), "
                + "(4, NULL, NULL, NULL, NULL, NULL, NULL)");
        assertEquals(SEEDED_CUSTOMERS, customers());
    }

    /**
     * Exit 0, nothing on standard error, and exactly one line {@code PREFIX in S s (R rows/s)} on standard output
     * ({@code PREFIX in S s} when nothing was loaded: no rate of 0 rows/s).
     */
    static void assertSummary(Cli.Run run, String prefix) {
        assertSummary(run, 0, prefix);
    }

    static void assertSummary(Cli.Run run, int exitCode, String prefix) {
        assertEquals(exitCode, run.exitCode(), run::toString);
        String rate = prefix.startsWith("loaded 0 ") ? "" : " \\([0-9,]+ rows?/s\\)";
        assertTrue(Pattern.matches(Pattern.quote(prefix) + " in \\d+\\.\\d\\d s" + rate + "\\R", run.out()),
                () -> "expected one line '" + prefix + " in S s (R rows/s)'\n" + run);
        assertEquals("", run.err(), run::toString);
    }

    /** The last line of a rejected load. */
    static String rejectedLine(int badRows) {
        return "rejected: " + badRows + " bad row" + (badRows == 1 ? "" : "s") + ", nothing was loaded (fix them, or "
                + "load the good rows with --on-error skip --reject-file FILE)";
    }

    /**
     * The run failed with {@code exitCode}, printed nothing on standard output, printed exactly {@code errLines}
     * on standard error, no stack trace, and the database is what it was ({@code before}).
     */
    void assertFailed(Cli.Run run, int exitCode, String before, String... errLines) {
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(String.join("\n", errLines) + "\n", run.err(), run::toString);
        assertNoStackTrace(run);
        assertEquals(before, db.snapshot(), "the database changed");
    }

    /** Exit 1 with the bad rows' lines followed by the "rejected: N bad rows" line; the database unchanged. */
    void assertBadRows(Cli.Run run, String before, String... badRowLines) {
        String[] lines = Arrays.copyOf(badRowLines, badRowLines.length + 1);
        lines[badRowLines.length] = rejectedLine(badRowLines.length);
        assertFailed(run, 1, before, lines);
    }

    /**
     * The rows of a query, each its values joined by '|': NULL for null, booleans as 1/0, whole numbers as such,
     * timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' (the way SQLite stores them as text), so that the same
     * expectations hold on every database.
     */
    List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        for (List<Object> row : db.query(sql)) {
            List<String> values = new ArrayList<>();
            for (Object v : row) {
                values.add(render(v));
            }
            rows.add(String.join("|", values));
        }
        return rows;
    }

    static String render(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Timestamp t) {
            return STORED.format(t.toLocalDateTime());
        }
        if (v instanceof LocalDateTime t) {
            return STORED.format(t);
        }
        if (v instanceof Double || v instanceof Float) {
            return Double.toString(((Number) v).doubleValue());
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n) {
            return Long.toString(n.longValue());
        }
        return v.toString();
    }

    List<String> customers() {
        return rows("SELECT " + CUSTOMER_COLUMNS + " FROM dim_customer ORDER BY customer_id");
    }

    List<String> transactions() {
        return rows("SELECT " + TRANSACTION_COLUMNS + " FROM fact_transaction ORDER BY transaction_id");
    }

    List<String> paymentMethods() {
        return rows("SELECT payment_method_id, payment_method_name FROM dim_payment_method ORDER BY payment_method_id");
    }

    /** The legacy customers (Fixtures.CUSTOMERS) as {@link #customers()} shows them. */
    static final List<String> SEEDED_CUSTOMERS = List.of(
            "0|79|Female|2020-06-23 23:36:30.665737|2022-09-06 17:31:34.590844|468|1",
            "1|80|Male|2021-05-08 15:54:52.791820|2021-10-21 18:35:07.609632|152|1",
            "2|29|Female|2022-06-21 16:44:48.913227|2023-04-20 20:11:06.459957|235|0",
            "3|41|Male|2023-09-21 21:38:35.460343|2023-10-03 16:47:59.754367|6|0",
            "4|NULL|NULL|NULL|NULL|NULL|NULL");
}
