package ispdb.load;

import static ispdb.load.LoadCsvFixtures.TRANSACTION_HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** load-csv with good input, on each database: the forms of values, files and options the contract accepts. */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class LoadCsvTest extends LoadCsvTestBase {
    @BeforeEach
    void schema() {
        initSchema();
    }

    @Test
    void loadsByTableNameAndAliasWithHeaderInAnyOrderAndEveryDateAndBooleanForm() {
        assertSummary(load("--table", "dim_payment_method", csv("pm.csv", Fixtures.PAYMENT_METHODS)),
                "loaded 5 rows into dim_payment_method");
        String customers = """
                event_observed,customer_id,gender,age,first_transaction_date,last_transaction_date,survival_time
                True,10,Female,79,2020-06-23 23:36:30.665737,2022-09-06 17:31:34.590844,468
                FALSE,11,Male,80,2021-05-08,2021-10-21T18:35:07,152
                yes,12,Female,29,2022-06-21T16:44:48.9,2023-04-20 20:11:06.45,235
                No,13,,41,2023-09-21 21:38:35.665,2023-10-03T16:47:59.1234,6
                1,14,Male,,2023-01-01 00:00:00.12345,,
                0,15,,,,,
                ,16,,,,,
                YES,17,x,1,1999-12-31T23:59:59.000001,2000-01-01 00:00:00,0
                nO,18,y,2,2000-02-29,2000-02-29T12:00:00.5,1
                tRuE,19,z,3,2000-03-01,2000-03-01,2
                """;
        assertSummary(load("--table", "customers", csv("c.csv", customers)), "loaded 10 rows into dim_customer");
        assertEquals(List.of(
                "10|79|Female|2020-06-23 23:36:30.665737|2022-09-06 17:31:34.590844|468|1",
                "11|80|Male|2021-05-08 00:00:00.000000|2021-10-21 18:35:07.000000|152|0",
                "12|29|Female|2022-06-21 16:44:48.900000|2023-04-20 20:11:06.450000|235|1",
                "13|41|NULL|2023-09-21 21:38:35.665000|2023-10-03 16:47:59.123400|6|0",
                "14|NULL|Male|2023-01-01 00:00:00.123450|NULL|NULL|1",
                "15|NULL|NULL|NULL|NULL|NULL|0",
                "16|NULL|NULL|NULL|NULL|NULL|NULL",
                "17|1|x|1999-12-31 23:59:59.000001|2000-01-01 00:00:00.000000|0|1",
                "18|2|y|2000-02-29 00:00:00.000000|2000-02-29 12:00:00.500000|1|0",
                "19|3|z|2000-03-01 00:00:00.000000|2000-03-01 00:00:00.000000|2|1"), customers());
        if (sqlite()) {
            // SQLite: timestamps are TEXT with a space and six fraction digits, booleans the INTEGERs 0 and 1
            assertEquals(List.of(
                    "10|text|2020-06-23 23:36:30.665737|text|2022-09-06 17:31:34.590844|integer|1",
                    "11|text|2021-05-08 00:00:00.000000|text|2021-10-21 18:35:07.000000|integer|0",
                    "12|text|2022-06-21 16:44:48.900000|text|2023-04-20 20:11:06.450000|integer|1",
                    "13|text|2023-09-21 21:38:35.665000|text|2023-10-03 16:47:59.123400|integer|0",
                    "14|text|2023-01-01 00:00:00.123450|null|NULL|integer|1",
                    "15|null|NULL|null|NULL|integer|0",
                    "16|null|NULL|null|NULL|null|NULL",
                    "17|text|1999-12-31 23:59:59.000001|text|2000-01-01 00:00:00.000000|integer|1",
                    "18|text|2000-02-29 00:00:00.000000|text|2000-02-29 12:00:00.500000|integer|0",
                    "19|text|2000-03-01 00:00:00.000000|text|2000-03-01 00:00:00.000000|integer|1"),
                    rows("SELECT customer_id, typeof(first_transaction_date), first_transaction_date, "
                            + "typeof(last_transaction_date), last_transaction_date, typeof(event_observed), "
                            + "event_observed FROM dim_customer ORDER BY customer_id"));
        } else {
            // the servers give the microseconds back
            List<List<Object>> t = db.query("SELECT first_transaction_date FROM dim_customer WHERE customer_id = 17");
            Object v = t.get(0).get(0);
            LocalDateTime stored = v instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) v;
            assertEquals(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 1_000), stored);
        }
    }

    @Test
    void headerOnlyFileLoadsNothing() {
        assertSummary(load("--table", "customers", csv("c.csv",
                "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n")),
                "loaded 0 rows into dim_customer");
        assertEquals(0, db.count("SELECT COUNT(*) FROM dim_customer"));
    }

    @Test
    void loadsTransactionsFromStandardInput() {
        seed();
        String tx = """
                amount,transaction_date,payment_method_id,customer_id,transaction_id
                201.98,2022-09-06 17:31:34.590844,2,0,1
                387.39,2021-10-21,0,1,2
                -16.91,2023-04-20T20:11:06.5,4,0,3
                """;
        assertSummary(loadStdin(utf8(tx), "--table", "transactions", "-"), "loaded 3 rows into fact_transaction");
        assertEquals(List.of(
                "1|0|2|2022-09-06 17:31:34.590844|201.98",
                "2|1|0|2021-10-21 00:00:00.000000|387.39",
                "3|0|4|2023-04-20 20:11:06.500000|-16.91"), transactions());
        if (sqlite()) {
            assertEquals(List.of("text|real"), rows("SELECT DISTINCT typeof(transaction_date), typeof(amount) "
                    + "FROM fact_transaction"));
        }
    }

    @Test
    void utf8WithByteOrderMarkAndCrlfLineEnds() {
        assertSummary(load("--table", "payment-methods", csv("pm.csv", Fixtures.PAYMENT_METHODS)),
                "loaded 5 rows into dim_payment_method");
        // gender is the last column: a CR left over from CRLF would end up in it
        String text = "customer_id,age,first_transaction_date,last_transaction_date,survival_time,event_observed,gender\r\n"
                + "20,33,2021-01-02 03:04:05.6,,7,true,Fémale\r\n"
                + "21,,,,,,Male\r\n"
                + "22,,,,,,\r\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = utf8(text);
        byte[] file = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, file, 0, bom.length);
        System.arraycopy(body, 0, file, bom.length, body.length);
        assertSummary(load("--table", "customers", csv("bom.csv", file)), "loaded 3 rows into dim_customer");
        assertSummary(load("--table", "customers", csv("nobom.csv",
                "gender,customer_id,age,first_transaction_date,last_transaction_date,survival_time,event_observed\r\n"
                + "Male,23,,,,,\r\nFémale,24,,,,,")), // no line break at the end either
                "loaded 2 rows into dim_customer");
        assertEquals(List.of(
                "20|33|Fémale|2021-01-02 03:04:05.600000|NULL|7|1",
                "21|NULL|Male|NULL|NULL|NULL|NULL",
                "22|NULL|NULL|NULL|NULL|NULL|NULL",
                "23|NULL|Male|NULL|NULL|NULL|NULL",
                "24|NULL|Fémale|NULL|NULL|NULL|NULL"), customers());
    }

    @Test
    void rfc4180QuotingWithCommasDoubledQuotesAndEmbeddedNewlines() {
        String text = "payment_method_id,payment_method_name\n"
                + "0,\"Card, credit\"\n"
                + "1,\"The \"\"best\"\" one\"\n"
                + "\"2\",\"two\nlines\"\n"
                + "3,\"\"\n"
                + "4,\"three\n\nlines, with \"\"quotes\"\"\"\n"
                + "5,plain\n";
        // "3,\"\"" is an empty field: payment_method_name is required
        String before = db.snapshot();
        String f = csv("q.csv", text);
        assertBadRows(load("--table", "payment-methods", f), before, f + ":6: payment_method_name: a value is required");

        String good = text.replace("3,\"\"\n", "3,\" \"\n");
        assertSummary(load("--table", "payment-methods", csv("q2.csv", good)), "loaded 6 rows into dim_payment_method");
        assertEquals(List.of(
                "0|Card, credit",
                "1|The \"best\" one",
                "2|two\nlines",
                "3| ",
                "4|three\n\nlines, with \"quotes\"",
                "5|plain"), paymentMethods());
    }

    @Test
    void semicolonAndTabDelimiters() {
        assertSummary(load("--table", "payment-methods", "--delimiter", ";", csv("pm.csv",
                "payment_method_id;payment_method_name\n0;Card, credit\n1;\"Semi;colon\"\n")),
                "loaded 2 rows into dim_payment_method");
        assertSummary(load("--table", "customers", "--delimiter", "tab", csv("c.tsv",
                "customer_id\tgender\tage\tfirst_transaction_date\tlast_transaction_date\tsurvival_time\tevent_observed\n"
                + "7\tFemale, probably\t31\t\t\t\t\n8\t\t\t\t\t\t\n")),
                "loaded 2 rows into dim_customer");
        assertSummary(load("--table", "customers", "--delimiter", "\\t", csv("c2.tsv",
                "customer_id\tage\tgender\tfirst_transaction_date\tlast_transaction_date\tsurvival_time\tevent_observed\n"
                + "9\t5\t\t\t\t\t\n")),
                "loaded 1 row into dim_customer");
        assertEquals(List.of("0|Card, credit", "1|Semi;colon"), paymentMethods());
        assertEquals(List.of(
                "7|31|Female, probably|NULL|NULL|NULL|NULL",
                "8|NULL|NULL|NULL|NULL|NULL|NULL",
                "9|5|NULL|NULL|NULL|NULL|NULL"), customers());
    }

    @Test
    void windows1252WithEncodingOption() {
        Charset cp1252 = Charset.forName("windows-1252");
        String text = "customer_id,gender,age,first_transaction_date,last_transaction_date,survival_time,event_observed\n"
                + "1,Fémale,30,,,,\n2,Mâle – ça,40,,,,\n";
        Path file = Fixtures.write(files, "cp1252.csv", text, cp1252);
        assertSummary(load("--table", "customers", "--encoding", "windows-1252", file.toString()),
                "loaded 2 rows into dim_customer");
        assertEquals(List.of("1|30|Fémale|NULL|NULL|NULL|NULL", "2|40|Mâle – ça|NULL|NULL|NULL|NULL"), customers());
    }

    @Test
    void predictionsWithoutIdAndPredictedAtGetBothFromTheTool() {
        seed();
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);
        assertSummary(load("--table", "predictions", csv("p.csv", Fixtures.PREDICTIONS)),
                "loaded 3 rows into clv_prediction");
        assertEquals(List.of(
                "0|1765.46668832624|Star|1|0",
                "1|1052.6935545943|Free Rider|NULL|NULL",
                "2|418.551666666667|Lost Cause|0|1"), rows("SELECT customer_id, clv, predicted_customer_type, "
                + "is_campaign1_success, is_campaign2_success FROM clv_prediction ORDER BY customer_id"));
        Set<String> ids = new HashSet<>(rows("SELECT prediction_id FROM clv_prediction"));
        assertEquals(3, ids.size());
        assertFalse(ids.contains("NULL"));
        for (String at : rows("SELECT predicted_at FROM clv_prediction")) {
            LocalDateTime t = LocalDateTime.parse(at, STORED);
            // the tool's clock in UTC: near the time of the run (a generous margin; this is not a timing test)
            assertTrue(Duration.between(before, t).abs().toMinutes() < 10, () -> at + " is not near " + before);
        }
        if (sqlite()) {
            for (String r : rows("SELECT typeof(predicted_at), predicted_at FROM clv_prediction")) {
                assertTrue(r.matches("text\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), r);
            }
        }
        // a second load without ids appends (new ids)
        assertSummary(load("--table", "clv_prediction", csv("p2.csv",
                "clv,customer_id,predicted_customer_type,is_campaign1_success,is_campaign2_success\n5.5,3,,,\n")),
                "loaded 1 row into clv_prediction");
        assertEquals(4, db.count("SELECT COUNT(DISTINCT prediction_id) FROM clv_prediction"));
    }

    @Test
    void predictionsWithExplicitIdsThenRecordPredictionGetsANewId() {
        seed();
        String text = """
                prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success,predicted_at
                1,0,1765.46668832624,Star,TRUE,nO,2024-01-02 03:04:05.678901
                2,1,10.5,,Yes,false,2024-01-02T03:04:05
                3,2,1.0,Lost Cause,,,
                """;
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);
        assertSummary(load("--table", "predictions", csv("p.csv", text)), "loaded 3 rows into clv_prediction");
        List<String> stored = rows("SELECT " + PREDICTION_COLUMNS + " FROM clv_prediction ORDER BY prediction_id");
        assertEquals(3, stored.size());
        assertEquals("1|0|1765.46668832624|Star|1|0|2024-01-02 03:04:05.678901", stored.get(0));
        assertEquals("2|1|10.5|NULL|1|0|2024-01-02 03:04:05.000000", stored.get(1));
        assertTrue(stored.get(2).startsWith("3|2|1.0|Lost Cause|NULL|NULL|"), stored.get(2));
        LocalDateTime filled = LocalDateTime.parse(stored.get(2).substring(stored.get(2).lastIndexOf('|') + 1), STORED);
        assertTrue(Duration.between(before, filled).abs().toMinutes() < 10, stored.get(2));

        // the id sequence moved past the explicit ids, on every database
        Cli.Run first = cli.run("record-prediction", "--url", db.url(), "--customer", "3", "--clv", "99.5");
        assertEquals(0, first.exitCode(), first::toString);
        long id = Long.parseLong(first.out().strip());
        assertTrue(id > 3, first::toString);
        Cli.Run second = cli.run("record-prediction", "--url", db.url(), "--customer", "0", "--clv", "1");
        assertEquals(0, second.exitCode(), second::toString);
        long id2 = Long.parseLong(second.out().strip());
        assertTrue(id2 > id, second::toString);
        assertEquals(List.of(id + "|3|99.5", id2 + "|0|1.0"), rows("SELECT prediction_id, customer_id, clv "
                + "FROM clv_prediction WHERE prediction_id > 3 ORDER BY prediction_id"));

        // and loading more explicit ids, then recording again, still works
        assertSummary(load("--table", "predictions", csv("p2.csv",
                "prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n"
                + (id2 + 1) + ",4,2.5,,,\n" + (id2 + 2) + ",4,3.5,,,\n")),
                "loaded 2 rows into clv_prediction");
        Cli.Run third = cli.run("record-prediction", "--url", db.url(), "--customer", "1", "--clv", "7");
        assertEquals(0, third.exitCode(), third::toString);
        assertTrue(Long.parseLong(third.out().strip()) > id2 + 2, third::toString);
        assertEquals(8, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    @Test
    void modeUpsertReplacesExistingRows() {
        seed();
        assertSummary(load("--table", "transactions", csv("t.csv", Fixtures.TRANSACTIONS)),
                "loaded 5 rows into fact_transaction");
        String before = db.snapshot();
        // customer 1 has a transaction: upsert updates it in place
        String text = """
                customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
                1,81,Other,2021-05-08 15:54:52.5,,153,no
                7,20,Female,2024-02-03,2024-02-04 05:06:07.000008,1,yes
                """;
        assertSummary(load("--table", "customers", "--mode", "upsert", csv("u.csv", text)),
                "loaded 2 rows into dim_customer");
        assertEquals(List.of(
                SEEDED_CUSTOMERS.get(0),
                "1|81|Other|2021-05-08 15:54:52.500000|NULL|153|0",
                SEEDED_CUSTOMERS.get(2), SEEDED_CUSTOMERS.get(3), SEEDED_CUSTOMERS.get(4),
                "7|20|Female|2024-02-03 00:00:00.000000|2024-02-04 05:06:07.000008|1|1"), customers());
        assertEquals(before.substring(before.indexOf("fact_transaction")),
                db.snapshot().substring(db.snapshot().indexOf("fact_transaction")), "the transactions changed");

        assertSummary(load("--table", "payment-methods", "--mode", "upsert", csv("pm.csv",
                "payment_method_id,payment_method_name\n4,PayPal\n5,Crypto\n")), "loaded 2 rows into dim_payment_method");
        assertEquals(List.of("0|Credit Card", "1|Debit Card", "2|Bank Transfer", "3|Cash", "4|PayPal", "5|Crypto"),
                paymentMethods());
    }

    @Test
    void modeSkipExistingSkipsExistingRows() {
        seed();
        String text = """
                customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
                1,99,Changed,,,,
                8,50,Male,,,,
                3,99,Changed,,,,
                """;
        assertSummary(load("--table", "customers", "--mode", "skip-existing", csv("s.csv", text)),
                "loaded 1 of 3 rows into dim_customer; skipped 2 already present");
        List<String> expected = new ArrayList<>(SEEDED_CUSTOMERS);
        expected.add("8|50|Male|NULL|NULL|NULL|NULL");
        assertEquals(expected, customers());
    }

    @Test
    void dirLoadsFilesNamedAfterTableOrAliasParentsFirst() {
        Path dir = files.resolve("export");
        // aliases and table names mixed; children sort before parents by name
        Fixtures.write(dir, "transactions.csv", Fixtures.TRANSACTIONS);
        Fixtures.write(dir, "predictions.csv", Fixtures.PREDICTIONS);
        Fixtures.write(dir, "dim_customer.csv", Fixtures.CUSTOMERS);
        Fixtures.write(dir, "payment-methods.csv", Fixtures.PAYMENT_METHODS);
        assertSummary(load("--dir", dir.toString()), "loaded 18 rows into dim_payment_method (5), dim_customer (5), "
                + "fact_transaction (5), clv_prediction (3)");
        assertEquals(SEEDED_CUSTOMERS, customers());
        assertEquals(List.of(
                "1|0|2|2022-09-06 17:31:34.590844|201.98",
                "2|1|1|2021-10-21 18:35:07.609632|387.39",
                "3|2|3|2023-04-20 20:11:06.459957|16.91",
                "4|3|4|2023-10-03 16:47:59.754367|61.82",
                "5|0|0|2020-06-23 23:36:30.665737|311.51"), transactions());
        assertEquals(3, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertNotNull(db.query("SELECT predicted_at FROM clv_prediction").get(0).get(0));
    }

    @Test
    void dirWithLegacyExportsNamesEachUnknownPaymentMethodAndLoadsNothing() {
        String empty = db.snapshot();
        Path dir = files.resolve("legacy");
        Fixtures.write(dir, "dim_payment_method.csv", Fixtures.PAYMENT_METHODS);
        Fixtures.write(dir, "dim_customer.csv", Fixtures.CUSTOMERS);
        Fixtures.write(dir, "fact_transaction.csv", LoadCsvFixtures.LEGACY_TRANSACTIONS_WITH_METHOD_5);
        Fixtures.write(dir, "clv_prediction.csv", Fixtures.PREDICTIONS);
        String f = dir.resolve("fact_transaction.csv").toString();
        assertBadRows(load("--dir", dir.toString()), empty,
                f + ":3: payment_method_id: unknown payment method 5",
                f + ":6: payment_method_id: unknown payment method 5",
                f + ":7: payment_method_id: unknown payment method 5");
        assertEquals(0, db.count("SELECT COUNT(*) FROM dim_payment_method"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM dim_customer"));

        // with the missing payment method added, the same folder loads
        Fixtures.write(dir, "dim_payment_method.csv", Fixtures.PAYMENT_METHODS + "5,Voucher\n");
        assertSummary(load("--dir", dir.toString()), "loaded 21 rows into dim_payment_method (6), dim_customer (5), "
                + "fact_transaction (7), clv_prediction (3)");
        assertEquals(SEEDED_CUSTOMERS, customers());
        assertEquals(3, db.count("SELECT COUNT(*) FROM fact_transaction WHERE payment_method_id = 5"));
    }

    @Test
    void blankLinesAreSkippedAndStillCounted() {
        seed();
        // a blank line and a line of spaces between rows, and blank lines after the last row (as some tools write)
        String text = TRANSACTION_HEADER + "1,0,0,2020-01-01,1\n\n  \n2,1,1,2020-01-02,2\n\n\n";
        assertSummary(load("--table", "transactions", csv("blank.csv", text)), "loaded 2 rows into fact_transaction");
        assertSummary(load("--table", "transactions", csv("blank-crlf.csv",
                TRANSACTION_HEADER.replace("\n", "\r\n") + "11,0,0,2020-01-01,1\r\n\r\n12,1,1,2020-01-02,2\r\n\r\n")),
                "loaded 2 rows into fact_transaction");
        assertEquals(4, db.count("SELECT COUNT(*) FROM fact_transaction"));
        String before = db.snapshot();
        String f = csv("blank-bad.csv", TRANSACTION_HEADER + "\n3,0,0,2020-01-01,1\n\n4,0,0,2020-01-01,x\n");
        assertBadRows(load("--table", "transactions", f), before, f + ":5: amount: not a number: 'x'");
    }

    static byte[] gzip(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(utf8(text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Gzip is recognised by its magic bytes: a FILE whatever its name, standard input, and *.csv.gz in --dir. */
    @Test
    void gzipFilesLoadAsTheyAreFromFileStdinAndDir() {
        assertSummary(load("--table", "payment-methods", csv("pm.csv.gz", gzip(Fixtures.PAYMENT_METHODS))),
                "loaded 5 rows into dim_payment_method");
        assertSummary(loadStdin(gzip(Fixtures.CUSTOMERS), "--table", "customers", "-"),
                "loaded 5 rows into dim_customer");
        assertEquals(SEEDED_CUSTOMERS, customers());
        Path dir = files.resolve("export");
        Fixtures.write(dir, "fact_transaction.csv.gz", gzip(Fixtures.TRANSACTIONS));
        Fixtures.write(dir, "predictions.csv", Fixtures.PREDICTIONS);
        assertSummary(load("--dir", dir.toString()), "loaded 8 rows into fact_transaction (5), clv_prediction (3)");
        assertEquals(5, transactions().size());
        // a gzip file named .csv is still read as gzip
        assertSummary(load("--table", "customers", "--mode", "upsert", csv("plain-name.csv", gzip(Fixtures.CUSTOMERS))),
                "loaded 5 rows into dim_customer");
    }
}
