package ispdb.load;

import static ispdb.testing.Cli.assertNoStackTrace;
import static ispdb.load.LoadCsvFixtures.CUSTOMER_HEADER;
import static ispdb.load.LoadCsvFixtures.TRANSACTION_HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * load-csv with bad input, on each database: every bad row is named FILE:LINE: column: problem, the whole load is
 * rejected (exit 1, or 2 for a usage error) and the database is left exactly as it was. As no test here may
 * change the database (each checks that), the tests of one database share one database, made and seeded once.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadCsvBadInputTest extends LoadCsvTestBase {
    /** The database as it was before the test. */
    String before;

    /** Where the shared SQLite database lives (a @TempDir is not there yet when the database is made). */
    Path databaseFolder;

    /** Why this database's tests are skipped (its server is not reachable), or null. */
    String skipped;

    @BeforeParameterizedClassInvocation
    void createSeededDatabase() throws IOException {
        databaseFolder = Files.createTempDirectory("ispdb-load-csv-bad-input-");
        try {
            db = TestDatabase.create(kind, databaseFolder);
        } catch (TestAbortedException e) {
            // skipped here, the class's tests would not be reported at all: each test reports the skip instead
            skipped = e.getMessage();
            return;
        }
        initSchema();
        seed();
    }

    @Override
    protected boolean databasePerTest() {
        return false;
    }

    @AfterParameterizedClassInvocation
    void drop() throws IOException {
        if (db != null) {
            db.close();
            db = null;
        }
        try (Stream<Path> paths = Files.walk(databaseFolder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @BeforeEach
    void snapshotBefore() {
        Assumptions.assumeTrue(skipped == null, () -> skipped);
        before = db.snapshot();
    }

    /** A customers file: a good row, the bad one (line 3), another good row. */
    String customersWith(String name, String badRow) {
        return csv(name, CUSTOMER_HEADER + "10,30,Male,2020-01-01,,1,true\n" + badRow + "\n11,31,Female,,,,false\n");
    }

    /** A transactions file: a good row, the bad one (line 3), another good row. */
    String transactionsWith(String name, String badRow) {
        return csv(name, TRANSACTION_HEADER + "1,0,0,2020-01-01,1.5\n" + badRow + "\n3,1,1,2021-01-01 10:00:00,2\n");
    }

    @Test
    void unparseableValues() {
        String f = csv("c.csv", CUSTOMER_HEADER
                + "10,30,Male,2020-01-01,,1,true\n" // 2
                + "12,abc,Male,,,,\n" // 3
                + "13,99999999999,Male,,,,\n" // 4
                + "1.5,20,Male,,,,\n" // 5
                + "14,20,Male,06/23/2020,,,\n" // 6
                + "11,31,Female,,,,false\n" // 7
                + "15,20,Male,,2021-02-30,,\n" // 8
                + "16,20,Male,2021-02-03 24:00:00,,,\n" // 9
                + "17,20,Male,2020-06-23 23:36:30.6657371,,,\n" // 10
                + "18,20,Male,,,,maybe\n" // 11
                + "19,20,Male,,,12.5,\n" // 12
                + "20,20,Male,,,,\n"); // 13
        assertBadRows(load("--table", "customers", f), before,
                f + ":3: age: not a whole number: 'abc'",
                f + ":4: age: out of range: 99999999999 (age is 0 to 130)",
                f + ":5: customer_id: not a whole number: '1.5'",
                f + ":6: first_transaction_date: not a date: '06/23/2020' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS "
                        + "or YYYY-MM-DDTHH:MM:SS, optionally with .ffffff)",
                f + ":8: last_transaction_date: not a real date and time: '2021-02-30' (Invalid date 'FEBRUARY 30')",
                f + ":9: first_transaction_date: not a real date and time: '2021-02-03 24:00:00' (Invalid value for "
                        + "HourOfDay (valid values 0 - 23): 24)",
                f + ":10: first_transaction_date: more than six fraction digits in '2020-06-23 23:36:30.6657371' "
                        + "(ispdb keeps microseconds)",
                f + ":11: event_observed: not true/false, 1/0 or yes/no: 'maybe'",
                f + ":12: survival_time: not a whole number: '12.5'");
        f = csv("t.csv", TRANSACTION_HEADER + "1,0,0,2020-01-01,1.5\n2,0,0,2020-01-01,NaN\n3,0,0,2020-01-01,12.5€\n"
                + "4,0,0,2020-01-01,1e3\n5,0,0,2020-01-01,Infinity\n6,0,0,2020-01-01,0x1p3\n");
        assertBadRows(load("--table", "transactions", f), before,
                f + ":3: amount: not a number: 'NaN'",
                f + ":4: amount: not a number: '12.5€'",
                f + ":6: amount: not a number: 'Infinity'",
                f + ":7: amount: not a number: '0x1p3'");
    }

    @Test
    void missingRequiredValues() {
        String f = csv("t.csv", TRANSACTION_HEADER + "1,0,0,2020-01-01,1.5\n2,0,0,2020-01-01,\n3,0,0,,5\n"
                + "4,,0,2020-01-01,5\n5,0,,2020-01-01,5\n,0,0,2020-01-01,5\n7,0,0,2020-01-01,5\n");
        assertBadRows(load("--table", "transactions", f), before,
                f + ":3: amount: a value is required",
                f + ":4: transaction_date: a value is required",
                f + ":5: customer_id: a value is required",
                f + ":6: payment_method_id: a value is required",
                f + ":7: transaction_id: a value is required");
        f = csv("p.csv", "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n"
                + "0,1.5,,,\n1,,Star,,\n");
        assertBadRows(load("--table", "predictions", f), before, f + ":3: clv: a value is required");
    }

    @Test
    void unknownColumnInHeader() {
        String f = csv("c.csv", "customer_id,age,gender,Colour,first_transaction_date,last_transaction_date,"
                + "survival_time,event_observed\n10,20,Male,red,,,,\n");
        assertFailed(load("--table", "customers", f), 1, before,
                f + ":1: Colour: not a column of dim_customer (its columns: " + CUSTOMER_COLUMNS + ")",
                f + ": the header does not fit dim_customer; nothing was loaded");
    }

    @Test
    void missingOrRepeatedColumnInHeader() {
        String f = csv("t.csv", "transaction_id,customer_id,payment_method_id,transaction_date\n1,0,0,2020-01-01\n");
        assertFailed(load("--table", "transactions", f), 1, before,
                f + ":1: amount: missing from the header",
                f + ": the header does not fit fact_transaction; nothing was loaded");
        f = csv("t2.csv", "transaction_id,customer_id,payment_method_id,transaction_date,amount,amount\n"
                + "1,0,0,2020-01-01,1,1\n");
        assertFailed(load("--table", "transactions", f), 1, before,
                f + ":1: amount: named twice in the header",
                f + ": the header does not fit fact_transaction; nothing was loaded");
        // only prediction_id and predicted_at may be left out
        f = csv("p.csv", "customer_id,clv,is_campaign1_success,is_campaign2_success\n0,1,,\n");
        assertFailed(load("--table", "predictions", f), 1, before,
                f + ":1: predicted_customer_type: missing from the header",
                f + ": the header does not fit clv_prediction; nothing was loaded");
    }

    @Test
    void wrongFieldCount() {
        String f = csv("t.csv", TRANSACTION_HEADER + "1,0,0,2020-01-01,1.5\n2,0,0,2020-01-01\n3,0,0,2020-01-01,1,\n"
                + "4,0,0,2020-01-01,2\n5\n");
        assertBadRows(load("--table", "transactions", f), before,
                f + ":3: row: has 4 fields, the header has 5",
                f + ":4: row: has 6 fields, the header has 5",
                f + ":6: row: has 1 field, the header has 5");
    }

    @Test
    void duplicateKeyWithinTheFile() {
        String f = csv("t.csv", TRANSACTION_HEADER + "7,0,0,2020-01-01,1.5\n8,0,0,2020-01-01,2\n7,1,1,2020-01-02,3\n");
        assertBadRows(load("--table", "transactions", f), before, f + ":4: transaction_id: 7 is on an earlier line too");
        // also with --mode upsert and skip-existing: a file may not say two things about one key
        assertBadRows(load("--table", "transactions", "--mode", "upsert", f), before,
                f + ":4: transaction_id: 7 is on an earlier line too");
        f = csv("p.csv", "prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,"
                + "is_campaign2_success\n1,0,1,,,\n1,1,2,,,\n");
        assertBadRows(load("--table", "predictions", "--mode", "skip-existing", f), before,
                f + ":3: prediction_id: 1 is on an earlier line too");
    }

    @Test
    void keyAlreadyInTheTable() {
        String f = customersWith("c.csv", "2,20,Male,,,,");
        String problem = ":3: customer_id: 2 is already in dim_customer (to replace such rows use --mode upsert, "
                + "to keep them --mode skip-existing)";
        assertBadRows(load("--table", "customers", f), before, f + problem);
        f = csv("pm.csv", "payment_method_id,payment_method_name\n5,Crypto\n0,Credit Card\n");
        assertBadRows(load("--table", "payment-methods", "--mode", "insert", f), before, f + ":3: payment_method_id: 0 is already in "
                + "dim_payment_method (to replace such rows use --mode upsert, to keep them --mode skip-existing)");
    }

    @Test
    void unknownCustomer() {
        String f = transactionsWith("t.csv", "2,99,0,2020-01-01,5");
        assertBadRows(load("--table", "transactions", f), before, f + ":3: customer_id: unknown customer 99");
        f = csv("p.csv", "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n"
                + "0,1.5,,,\n-1,2,,,\n");
        assertBadRows(load("--table", "predictions", f), before, f + ":3: customer_id: unknown customer -1");
    }

    @Test
    void unknownPaymentMethod() {
        String f = transactionsWith("t.csv", "2,0,5,2020-01-01,5");
        assertBadRows(load("--table", "transactions", f), before, f + ":3: payment_method_id: unknown payment method 5");
    }

    @Test
    void nulCharacterInTextField() {
        String f = customersWith("c.csv", "12,20,Fe\0male,,,,");
        assertBadRows(load("--table", "customers", f), before, f + ":3: gender: contains a NUL character");
        f = csv("pm.csv", "payment_method_id,payment_method_name\n5,Crypto\n6,\"Gift\0Card\"\n");
        assertBadRows(load("--table", "payment-methods", f), before,
                f + ":3: payment_method_name: contains a NUL character");
    }

    @Test
    void badRowsOnSeveralLinesAreEachListed() {
        String f = csv("t.csv", TRANSACTION_HEADER
                + "1,0,0,2020-01-01,1.5\n" // 2
                + "2,0,9,2020-01-01,1.5\n" // 3: unknown payment method
                + "3,0,0,2020-01-01,1.5\n" // 4
                + "4,0,0,yesterday,1.5\n" // 5: not a date
                + "1,1,1,2020-01-01,1.5\n" // 6: duplicate
                + "6,42,0,2020-01-01,1.5\n" // 7: unknown customer
                + "7,0,0,2020-01-01,\n" // 8: amount required
                + "8,0,0,2020-01-01,3\n"); // 9
        assertBadRows(load("--table", "transactions", f), before,
                f + ":3: payment_method_id: unknown payment method 9",
                f + ":5: transaction_date: not a date: 'yesterday' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or "
                        + "YYYY-MM-DDTHH:MM:SS, optionally with .ffffff)",
                f + ":6: transaction_id: 1 is on an earlier line too",
                f + ":7: customer_id: unknown customer 42",
                f + ":8: amount: a value is required");
    }

    @Test
    void atMostTwentyBadRowsAreListed() {
        StringBuilder text = new StringBuilder(TRANSACTION_HEADER).append("1,0,0,2020-01-01,1\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            text.append(100 + i).append(",0,0,2020-01-01,x").append(i).append('\n'); // lines 3..27
        }
        text.append("2,0,0,2020-01-01,1\n");
        String f = csv("t.csv", text.toString());
        for (int i = 0; i < 20; i++) {
            expected.add(f + ":" + (3 + i) + ": amount: not a number: 'x" + i + "'");
        }
        expected.add("... and 5 more bad rows");
        expected.add(rejectedLine(25));
        assertFailed(load("--table", "transactions", f), 1, before, expected.toArray(String[]::new));
    }

    @Test
    void lineNumbersArePhysicalLinesWithQuotedNewlinesAndCrlf() {
        String text = "payment_method_id,payment_method_name\n"
                + "10,\"Multi\nline\"\n" // 2-3
                + "11,\"has \"\"quotes\"\", and a comma\"\n" // 4
                + "x,Bad\n" // 5
                + "12,\"three\n\nlines\"\n" // 6-8
                + "13,\n" // 9
                + "14,ok\n" // 10
                + "15,\"also\nbad\",extra\n"; // 11-12
        String[] expected = {":5: payment_method_id: not a whole number: 'x'", ":9: payment_method_name: a value is required",
            ":11: row: has 3 fields, the header has 2"};
        String f = csv("lf.csv", text);
        assertBadRows(load("--table", "payment-methods", f), before,
                f + expected[0], f + expected[1], f + expected[2]);
        String g = csv("crlf.csv", text.replace("\n", "\r\n"));
        assertBadRows(load("--table", "payment-methods", g), before,
                g + expected[0], g + expected[1], g + expected[2]);
    }

    @Test
    void badRowFromStandardInputIsNamedStdin() {
        assertBadRows(loadStdin(utf8(TRANSACTION_HEADER + "1,0,0,2020-01-01,1\n2,0,0,2020-01-01,abc\n"),
                "--table", "transactions", "-"), before, "<stdin>:3: amount: not a number: 'abc'");
    }

    /** Good rows (ids from 1000 on) for lines 2 to {@code rows + 1}: many batches, so the reader runs ahead of the writer. */
    private static String manyGoodTransactions(int rows) {
        StringBuilder s = new StringBuilder(TRANSACTION_HEADER);
        for (int i = 0; i < rows; i++) {
            s.append(1000 + i).append(',').append(i % 5).append(',').append(i % 5).append(",2020-01-01,1.5\n");
        }
        return s.toString();
    }

    @Test
    void unclosedQuoteAfterManyBatchesOfGoodRows() {
        String f = csv("late-quote.csv", manyGoodTransactions(25_000) + "9,0,0,\"2020-01-01,1\n10,0,0,2020-01-01,1\n");
        assertFailed(load("--table", "transactions", f), 1, before,
                "ispdb: " + f + ":25002: a quoted field that starts on this line has no closing quote; nothing was loaded");
    }

    @Test
    void badRowsAfterManyBatchesOfGoodRowsAreReportedInLineOrder() {
        String f = csv("late-bad.csv", manyGoodTransactions(25_000) + "9,99,0,2020-01-01,1\n10,0,0,2020-01-01,x\n");
        assertBadRows(load("--table", "transactions", f), before, f + ":25002: customer_id: unknown customer 99",
                f + ":25003: amount: not a number: 'x'");
    }

    @Test
    void unclosedQuote() {
        String f = csv("q.csv", "payment_method_id,payment_method_name\n5,ok\n6,\"open\n7,never closed\n");
        assertFailed(load("--table", "payment-methods", f), 1, before,
                "ispdb: " + f + ":3: a quoted field that starts on this line has no closing quote; nothing was loaded");
    }

    @Test
    void invalidUtf8NamesTheLineAndSuggestsEncoding() {
        String text = CUSTOMER_HEADER + "10,30,Male,,,,\n11,40,Fémale,,,,\n12,50,Male,,,,\n";
        String f = Fixtures.write(files, "cp1252.csv", text, Charset.forName("windows-1252")).toString();
        assertFailed(load("--table", "customers", f), 1, before,
                "ispdb: " + f + ":3: byte 0xE9 at column 8 is not valid UTF-8; if the file is in another encoding, "
                        + "name it with --encoding (for example --encoding windows-1252); nothing was loaded");
        // also when the file is read from standard input
        assertFailed(loadStdin(text.getBytes(Charset.forName("windows-1252")), "--table", "customers", "-"), 1, before,
                "ispdb: <stdin>:3: byte 0xE9 at column 8 is not valid UTF-8; if the file is in another encoding, "
                        + "name it with --encoding (for example --encoding windows-1252); nothing was loaded");
    }

    @Test
    void emptyFile() {
        String f = csv("empty.csv", "");
        assertFailed(load("--table", "customers", f), 1, before,
                "ispdb: " + f + ":1: the file is empty; it needs a header row naming the columns of dim_customer ("
                        + CUSTOMER_COLUMNS + "); nothing was loaded");
        assertFailed(loadStdin(new byte[0], "--table", "payment-methods", "-"), 1, before,
                "ispdb: <stdin>:1: the file is empty; it needs a header row naming the columns of dim_payment_method "
                        + "(payment_method_id, payment_method_name); nothing was loaded");
    }

    @Test
    void missingFileIsAUsageError() {
        String f = files.resolve("no-such.csv").toString();
        assertFailed(load("--table", "customers", f), 2, before, "ispdb: cannot read " + f + ": no such file");
    }

    @Test
    void usageErrors() {
        String f = csv("pm.csv", Fixtures.PAYMENT_METHODS);
        Cli.Run run = load("--table", "payments", f);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("ispdb: --table payments is not a table: use one of dim_payment_method "
                + "(payment-methods), dim_customer (customers), fact_transaction (transactions), clv_prediction "
                + "(predictions)"), run::toString);
        assertNoStackTrace(run);
        for (String[] args : new String[][] {{"--table", "customers"}, {"--table", "customers", f, "--mode", "replace"},
            {"--table", "customers", f, "--encoding", "no-such-charset"}, {"--table", "customers", f, "--delimiter", "ab"},
            {"--dir", files.toString(), "--table", "customers", f}}) {
            run = load(args);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("ispdb: "), run::toString);
            assertNoStackTrace(run);
        }
        assertEquals(before, db.snapshot());
    }

    @Test
    void dirIsAllOrNothingAcrossFiles() {
        Path dir = files.resolve("export");
        Fixtures.write(dir, "customers.csv", CUSTOMER_HEADER + "20,30,Male,,,,\n21,31,Female,,,,\n");
        Fixtures.write(dir, "transactions.csv", TRANSACTION_HEADER + "1,20,0,2020-01-01,1\n2,21,1,2020-01-01,oops\n");
        assertBadRows(load("--dir", dir.toString()), before,
                dir.resolve("transactions.csv") + ":3: amount: not a number: 'oops'");
        assertEquals(0, db.count("SELECT COUNT(*) FROM dim_customer WHERE customer_id >= 20"));
    }

    @Test
    void dirWithTwoFilesForOneTable() {
        Path dir = files.resolve("export");
        Fixtures.write(dir, "dim_customer.csv", CUSTOMER_HEADER + "20,30,Male,,,,\n");
        Fixtures.write(dir, "customers.csv", CUSTOMER_HEADER + "21,30,Male,,,,\n");
        Cli.Run run = load("--dir", dir.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        String err = run.err();
        assertTrue(err.equals("ispdb: " + dir + " has two files for dim_customer: dim_customer.csv and customers.csv; "
                + "keep one\n") || err.equals("ispdb: " + dir + " has two files for dim_customer: customers.csv and "
                + "dim_customer.csv; keep one\n"), run::toString);
        assertNoStackTrace(run);
        assertEquals(before, db.snapshot());
    }

    @Test
    void valuesOutsideTheirDomainAreBadRowsThatNameTheRule() {
        String f = csv("c.csv", CUSTOMER_HEADER
                + "20,-1,Male,,,,\n" // 2
                + "21,131,Male,,,,\n" // 3
                + "22,130,Male,,,0,\n" // 4: good (the oldest age, survival 0)
                + "23,30,Male,,,-3,\n" // 5
                + "24,30,Male,2023-05-01,2023-01-01 10:00:00,,\n" // 6
                + "99999999999999999999,30,Male,,,,\n" // 7
                + "25,30,Male,2023-01-01,2023-01-01,0,\n"); // 8: good (same day)
        assertBadRows(load("--table", "customers", f), before,
                f + ":2: age: out of range: -1 (age is 0 to 130)",
                f + ":3: age: out of range: 131 (age is 0 to 130)",
                f + ":5: survival_time: out of range: -3 (survival_time is 0 or more)",
                f + ":6: first_transaction_date: 2023-05-01 00:00:00.000000 is after last_transaction_date "
                        + "2023-01-01 10:00:00.000000",
                f + ":7: customer_id: out of range: 99999999999999999999 is beyond a 64-bit whole number "
                        + "(-9223372036854775808 to 9223372036854775807)");
        // refunds and write-offs: a negative amount or clv is allowed
        String t = csv("t.csv", TRANSACTION_HEADER + "30,0,0,2020-01-01,-12.5\n31,0,0,2020-01-01,1\n"
                + "-99999999999999999999,0,0,2020-01-01,1\n");
        assertBadRows(load("--table", "transactions", t), before, t + ":4: transaction_id: out of range: "
                + "-99999999999999999999 is beyond a 64-bit whole number (-9223372036854775808 to 9223372036854775807)");
    }

    @Test
    void aPredictionDatedInTheFutureIsABadRow() {
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
        String soon = STORED.format(now.plusMinutes(2));
        String late = STORED.format(now.plusMinutes(10));
        String f = csv("p.csv", "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success,"
                + "predicted_at\n0,1.5,,,," + soon + "\n1,-2.5,,,,2030-01-01\n2,3,,,," + late + "\n");
        Cli.Run run = load("--table", "predictions", f);
        assertEquals(1, run.exitCode(), run::toString);
        String[] lines = run.err().split("\n");
        assertEquals(3, lines.length, run::toString);
        assertTrue(lines[0].startsWith(f + ":3: predicted_at: 2030-01-01 00:00:00.000000 is in the future (now is "),
                run::toString);
        assertTrue(lines[0].endsWith(" UTC; a prediction may be dated at most 5 minutes ahead)"), run::toString);
        assertTrue(lines[1].startsWith(f + ":4: predicted_at: " + late + " is in the future"), run::toString);
        assertEquals(rejectedLine(2), lines[2]);
        assertEquals(before, db.snapshot());
        Cli.Run viaRecord = cli.run("record-prediction", "--url", db.url(), "--file", f);
        assertEquals(1, viaRecord.exitCode(), viaRecord::toString);
        assertEquals(before, db.snapshot());
    }

    @Test
    void aTransactionDatedInTheFutureIsABadRow() {
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
        String soon = STORED.format(now.plusMinutes(2));
        String f = transactionsWith("t.csv", "2,0,0,2099-01-01,10.5\n4,1,0," + soon + ",3");
        Cli.Run run = load("--table", "transactions", f);
        assertEquals(1, run.exitCode(), run::toString);
        String[] lines = run.err().split("\n");
        assertEquals(2, lines.length, run::toString);
        assertTrue(lines[0].startsWith(f + ":3: transaction_date: 2099-01-01 00:00:00.000000 is in the future (now is "),
                run::toString);
        assertTrue(lines[0].endsWith(" UTC; a transaction may be dated at most 5 minutes ahead)"), run::toString);
        assertEquals(rejectedLine(1), lines[1]);
        assertNoStackTrace(run);
        assertEquals(before, db.snapshot());
    }

    @Test
    void aHeaderWithAnotherDelimiterOrAPandasIndexSaysSo() {
        String semicolons = csv("pm.csv", "payment_method_id;payment_method_name\n7;Voucher\n");
        assertFailed(load("--table", "payment-methods", semicolons), 1, before,
                semicolons + ":1: payment_method_id;payment_method_name: not a column of dim_payment_method (its "
                        + "columns: payment_method_id, payment_method_name)",
                semicolons + ":1: payment_method_id: missing from the header",
                semicolons + ":1: payment_method_name: missing from the header",
                semicolons + ": the header does not fit dim_payment_method; nothing was loaded",
                semicolons + ": the header's column names are separated by ';', not by the delimiter ',': add "
                        + "--delimiter ';'");
        String tabs = csv("pm2.csv", "payment_method_id\tpayment_method_name\n7\tVoucher\n");
        Cli.Run run = load("--table", "payment-methods", tabs);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().endsWith(tabs + ": the header's column names are separated by tabs, not by the "
                + "delimiter ',': add --delimiter tab\n"), run::toString);
        String pandas = csv("pm3.csv", ",payment_method_id,payment_method_name\n0,7,Voucher\n");
        run = load("--table", "payment-methods", pandas);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().endsWith(pandas + ": the first column has no name: that is a pandas index column "
                + "(DataFrame.to_csv writes one unless index=False); export with index=False, or delete the first "
                + "column\n"), run::toString);
        assertEquals(before, db.snapshot());
    }

    @Test
    void severalFilesAreAUsageErrorThatPointsAtDir() {
        String a = csv("a.csv", Fixtures.PAYMENT_METHODS);
        String b = csv("b.csv", Fixtures.PAYMENT_METHODS);
        assertFailed(load("--table", "payment-methods", a, b), 2, before, "ispdb: load-csv takes one FILE, and was "
                + "given 2 (" + a + ", " + b + "): load a folder of exports with --dir DIR, or run load-csv once per "
                + "file");
    }

    @Test
    void aFileInDirThatWouldNotLoadIsAUsageError() {
        Path dir = files.resolve("export");
        Fixtures.write(dir, "customers.csv", CUSTOMER_HEADER + "20,30,Male,,,,\n");
        Fixtures.write(dir, "notes.txt", "not an export");
        Fixtures.write(dir, "fact_transaction.csv.bz2", "compressed some other way");
        assertFailed(load("--dir", dir.toString()), 2, before, "ispdb: " + dir + ": fact_transaction.csv.bz2, "
                + "notes.txt are not named after a table, and --dir loads every file in the folder: name each file "
                + "after its table or alias (dim_payment_method (payment-methods), dim_customer (customers), "
                + "fact_transaction (transactions), clv_prediction (predictions)) with .csv or .csv.gz, or move the "
                + "others out");
    }

    @Test
    void aDamagedGzipFileIsRejectedInOneSentence() throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(utf8(CUSTOMER_HEADER + "20,30,Male,,,,\n".repeat(2000)));
        }
        byte[] cut = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        String f = csv("c.csv.gz", cut);
        Cli.Run run = load("--table", "customers", f);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().matches("ispdb: \\Q" + f + "\\E:\\d+: the gzip data is damaged or cut short \\(.*\\); "
                + "nothing was loaded\n"), run::toString);
        assertNoStackTrace(run);
        assertEquals(before, db.snapshot());
    }
}
