package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.LegacyDatabase;
import ispdb.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * init-schema --adopt on each database, on a database shaped like the Python tool's (LegacyDatabase: its 20
 * orphans, predictions without predicted_at): without --reject-file it stops and changes nothing; with it, the
 * orphans go to the reject file (and load back once fixed), every other row is kept with its meaning, and the
 * result is exactly a fresh init-schema's schema, current in schema-status and clean in check.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class AdoptTest extends DatabaseTest {
    @Override
    protected String notOnSpider() {
        return "--adopt takes over one server's hand-made tables; on a head it leaves the Spider tables alone"
                + " (SpiderTest), and a legacy database is copied into a sharded one instead";
    }

    @Test
    void withoutARejectFileItStopsAndChangesNothing() {
        LegacyDatabase.create(db);
        String rows = db.snapshot();
        String catalog = db.catalog();
        Cli.Run plain = cli.run("init-schema", "--url", db.url());
        assertEquals(3, plain.exitCode(), plain::toString);
        assertTrue(plain.err().contains("'ispdb init-schema --adopt'"), plain::toString);
        Cli.Run run = cli.run("init-schema", "--adopt", "--url", db.url());
        Cli.assertNoStackTrace(run);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("payment_method_id 5 is not in dim_payment_method"), run::toString);
        assertEquals("ispdb: 20 rows break the ispdb schema (see the report above): nothing was changed. Fix them, or "
                + "set them aside with --reject-file F (a CSV file that load-csv can load back once they are fixed)\n",
                run.err());
        assertEquals(rows, db.snapshot());
        assertEquals(catalog, db.catalog());
        assertNoScratchDatabases();
    }

    @Test
    void withARejectFileItTakesTheDatabaseOver() throws Exception {
        LegacyDatabase.create(db);
        Path rejects = tmp.resolve("rejects.csv");
        Cli.Run run = cli.run("init-schema", "--adopt", "--url", db.url(), "--reject-file", rejects.toString());
        Cli.assertNoStackTrace(run);
        assertEquals(4, run.exitCode(), run::toString);
        Matcher at = Pattern.compile("11 predictions had no predicted_at: set to "
                + "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.000000) \\(the time of adoption, UTC\\)\n").matcher(run.out());
        assertTrue(at.find(), run::toString);
        assertTrue(run.out().contains("  fact_transaction    100 rows: 80 kept, 20 set aside in " + rejects + "\n"),
                run::toString);
        assertTrue(run.out().contains("  dim_customer        11 rows: 11 kept\n"), run::toString);
        assertTrue(run.out().contains("  clv_prediction      11 rows: 11 kept\n"), run::toString);
        assertNoScratchDatabases();

        // the schema is exactly a fresh init-schema's, current, and the data sound
        assertEquals(migratedCatalog(), db.catalog());
        Cli.Run status = cli.run("schema-status", "--url", db.url());
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("schema version:  6 (this ispdb: 6)"), status::toString);
        if (kind != TestDatabase.Kind.SQLITE) {
            // a server's DATE columns kept the day only: the dates are stale until recomputed
            Cli.Run refresh = cli.run("refresh-customer-stats", "--url", db.url());
            assertEquals(0, refresh.exitCode(), refresh::toString);
        }
        Cli.Run check = cli.run("check", "--url", db.url());
        assertEquals(0, check.exitCode(), check::toString);
        Cli.Run again = cli.run("init-schema", "--url", db.url());
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("nothing to do"), again::toString);
        Cli.Run adoptAgain = cli.run("init-schema", "--adopt", "--url", db.url());
        assertEquals(0, adoptAgain.exitCode(), adoptAgain::toString);
        assertTrue(adoptAgain.out().contains("nothing to adopt"), adoptAgain::toString);

        // every row kept with its meaning: ids, microsecond timestamps, booleans, amounts
        assertEquals(LegacyDatabase.TRANSACTIONS - LegacyDatabase.ORPHANS, db.count("SELECT COUNT(*) FROM fact_transaction"));
        for (long id : List.of(1L, 2L, 3L, 99L)) {
            List<Object> row = db.query("SELECT transaction_date, amount, customer_id, payment_method_id "
                    + "FROM fact_transaction WHERE transaction_id = " + id).get(0);
            assertEquals(LegacyDatabase.dateOf(id), timestamp(row.get(0)), "transaction " + id);
            assertEquals(LegacyDatabase.amountOf(id), ((Number) row.get(1)).doubleValue(), 0.0, "transaction " + id);
            assertEquals(LegacyDatabase.customerOf(id), ((Number) row.get(2)).longValue());
            assertEquals((id % 5) - 1, ((Number) row.get(3)).longValue());
        }
        assertEquals(0, db.count("SELECT MIN(payment_method_id) FROM dim_payment_method"));
        assertEquals(0, db.count("SELECT MIN(prediction_id) FROM clv_prediction"));
        assertEquals(1, db.count("SELECT COUNT(DISTINCT predicted_at) FROM clv_prediction"));
        assertEquals(LocalDateTime.parse(at.group(1).replace(' ', 'T')),
                timestamp(db.query("SELECT MAX(predicted_at) FROM clv_prediction").get(0).get(0)));
        assertNull(db.query("SELECT is_campaign1_success FROM clv_prediction WHERE prediction_id = 0").get(0).get(0));
        assertEquals(0, bool(db.query("SELECT is_campaign1_success FROM clv_prediction WHERE prediction_id = 1")));
        assertEquals(1, bool(db.query("SELECT is_campaign1_success FROM clv_prediction WHERE prediction_id = 2")));
        assertEquals(0, bool(db.query("SELECT event_observed FROM dim_customer WHERE customer_id = 10")));
        assertEquals(1, bool(db.query("SELECT event_observed FROM dim_customer WHERE customer_id = 1")));
        assertEquals(1765.46668832624 - 1765.46668832624 + 418.551666666667 + 137.03 + 0.00000000001,
                ((Number) db.query("SELECT clv FROM clv_prediction WHERE prediction_id = 1").get(0).get(0)).doubleValue(),
                0.0);

        // a new prediction gets the next id
        Cli.Run record = cli.run("record-prediction", "--url", db.url(), "--customer", "3", "--clv", "12.5");
        assertEquals(0, record.exitCode(), record::toString);
        assertEquals("11", record.out().strip());

        // the reject file: load-csv's format, one line per orphan, loadable back once fixed
        CsvMapper csv = new CsvMapper();
        List<Map<String, String>> lines = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = csv.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(rejects.toFile())) {
            it.forEachRemaining(lines::add);
        }
        assertEquals(LegacyDatabase.ORPHANS, lines.size());
        StringBuilder fixed = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        for (int i = 0; i < lines.size(); i++) {
            Map<String, String> line = lines.get(i);
            long id = LegacyDatabase.orphanIds().get(i);
            assertEquals("fact_transaction.csv", line.get("file"));
            assertEquals(Integer.toString(i + 2), line.get("line"));
            assertEquals("payment_method_id", line.get("column"));
            assertEquals("payment_method_id 5 is not in dim_payment_method", line.get("problem"));
            assertTrue(line.get("row").startsWith(id + "," + LegacyDatabase.customerOf(id) + ",5,"), line::toString);
            fixed.append(line.get("row").replaceFirst("^(\\d+,\\d+),5,", "$1,4,")).append('\n');
        }
        Path back = Files.writeString(tmp.resolve("fact_transaction.csv"), fixed);
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--table", "transactions", back.toString());
        assertEquals(0, load.exitCode(), load::toString);
        assertEquals(LegacyDatabase.TRANSACTIONS, db.count("SELECT COUNT(*) FROM fact_transaction"));
        for (long id : LegacyDatabase.orphanIds()) {
            assertEquals(LegacyDatabase.dateOf(id), timestamp(db.query("SELECT transaction_date FROM fact_transaction "
                    + "WHERE transaction_id = " + id).get(0).get(0)), "transaction " + id);
        }
        // the customers' purchase summaries: made from the adopted transactions, and kept by the load after
        assertEquals(db.count("SELECT COUNT(DISTINCT customer_id) FROM fact_transaction"),
                db.count("SELECT COUNT(*) FROM customer_purchase_summary"));
        assertTrue(db.count("SELECT COUNT(*) FROM monthly_revenue") > 0, "the adopted transactions' months");
        Cli.Run after = cli.run("check", "--url", db.url(), "--format", "csv");
        assertFalse(after.out().contains("stale-summary"), after::toString);
    }

    /**
     * load-csv's domain rules hold for the legacy rows too: a customer aged 200 and a transaction dated 2099 break the
     * schema. check names them; without --reject-file the adoption refuses and leaves the database as it was (a
     * SQLite file byte for byte, still in rollback-journal mode, no -wal or -shm beside it); with it they are set
     * aside, and so are the customer's transactions and predictions.
     */
    @Test
    void rowsBreakingTheDomainRulesAreSetAsideOrRefused() throws Exception {
        LegacyDatabase.create(db);
        db.update("UPDATE dim_customer SET age = 200 WHERE customer_id = 3");
        db.update("UPDATE fact_transaction SET transaction_date = '2099-01-01' WHERE transaction_id = 7");
        long ofCustomer3 = db.count("SELECT COUNT(*) FROM fact_transaction WHERE customer_id = 3");
        long orphansOf3 = db.count("SELECT COUNT(*) FROM fact_transaction WHERE customer_id = 3 AND payment_method_id = 5");
        long predictionsOf3 = db.count("SELECT COUNT(*) FROM clv_prediction WHERE customer_id = 3");
        assertTrue(ofCustomer3 > orphansOf3 && predictionsOf3 > 0, "customer 3 has transactions and a prediction");
        String rows = db.snapshot();
        Path file = kind == TestDatabase.Kind.SQLITE ? Path.of(db.url().substring("jdbc:sqlite:".length())) : null;
        byte[] bytes = file == null ? null : Files.readAllBytes(file);

        Cli.Run check = cli.run("check", "--url", db.url(), "--format", "csv");
        assertEquals(1, check.exitCode(), check::toString);
        assertTrue(check.out().contains("\ndim_customer,3,domain-rule,age: out of range: 200 (age is 0 to 130)\n"),
                check::toString);
        assertTrue(check.out().contains("\nfact_transaction,7,domain-rule,transaction_date: 2099-01-01"), check::toString);

        Cli.Run refused = cli.run("init-schema", "--adopt", "--url", db.url());
        Cli.assertNoStackTrace(refused);
        assertEquals(1, refused.exitCode(), refused::toString);
        long broken = LegacyDatabase.ORPHANS + 1 + (ofCustomer3 - orphansOf3) + predictionsOf3 + 1;
        assertEquals("ispdb: " + broken + " rows break the ispdb schema (see the report above): nothing was changed. "
                + "Fix them, or set them aside with --reject-file F (a CSV file that load-csv can load back once they "
                + "are fixed)\n", refused.err());
        assertTrue(refused.out().contains("age: out of range: 200 (age is 0 to 130)"), refused::toString);
        assertEquals(rows, db.snapshot());
        if (file != null) {
            assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(file)), "the SQLite file is byte-identical");
            assertTrue(!Files.exists(Path.of(file + "-wal")) && !Files.exists(Path.of(file + "-shm")), "no -wal, -shm");
        }

        Path rejects = tmp.resolve("rejects.csv");
        Cli.Run run = cli.run("init-schema", "--adopt", "--url", db.url(), "--reject-file", rejects.toString());
        Cli.assertNoStackTrace(run);
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.out().contains("  dim_customer        11 rows: 10 kept, 1 set aside in " + rejects + "\n"),
                run::toString);
        assertEquals(LegacyDatabase.CUSTOMERS - 1, db.count("SELECT COUNT(*) FROM dim_customer"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM fact_transaction WHERE customer_id = 3 OR transaction_id = 7"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction WHERE customer_id = 3"));
        List<Map<String, String>> lines = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(rejects.toFile())) {
            it.forEachRemaining(lines::add);
        }
        assertEquals(broken, lines.size());
        Map<String, String> customer = lines.get(0);
        assertEquals("dim_customer.csv", customer.get("file"));
        assertEquals("2", customer.get("line"));
        assertEquals("age", customer.get("column"));
        assertEquals("out of range: 200 (age is 0 to 130)", customer.get("problem"));
        assertTrue(customer.get("row").startsWith("3,200,"), customer::toString);
        Map<String, String> future = lines.stream().filter(l -> l.get("row").startsWith("7,")
                && l.get("file").equals("fact_transaction.csv")).findFirst().orElseThrow();
        assertEquals("transaction_date", future.get("column"));
        assertTrue(future.get("problem").startsWith("2099-01-01"), future::toString);
        assertTrue(future.get("problem").contains(" is in the future (now is "), future::toString);
        assertEquals(ofCustomer3 - orphansOf3 + predictionsOf3, lines.stream().filter(l -> l.get("problem")
                .equals("customer 3 breaks a domain rule and is set aside too (see dim_customer.csv)")).count());
        // customer 7's last transaction was the one set aside: its derived columns are stale until recomputed
        assertEquals(0, cli.run("refresh-customer-stats", "--url", db.url()).exitCode());
        Cli.Run clean = cli.run("check", "--url", db.url());
        assertEquals(0, clean.exitCode(), clean::toString);
    }

    /**
     * All or nothing: a table in the way of the migrated schema (a load_journal of another program's) makes the
     * adoption fail late, after the old tables were moved aside (SQLite, PostgreSQL: one transaction, rolled back) or
     * the new ones made and filled (MariaDB: the swap of tables, one RENAME TABLE, fails as a whole); the database is
     * as it was, and the reject file is not written.
     */
    @Test
    void aFailureLateInTheAdoptionChangesNothing() {
        LegacyDatabase.create(db);
        db.update("CREATE TABLE load_journal (load_id INTEGER PRIMARY KEY, note VARCHAR(20))");
        String rows = db.snapshot();
        String catalog = db.catalog();
        Path rejects = tmp.resolve("rejects.csv");
        Cli.Run run = cli.run("init-schema", "--adopt", "--url", db.url(), "--reject-file", rejects.toString());
        Cli.assertNoStackTrace(run);
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("ispdb: could not adopt the database (nothing was changed) in "), run::toString);
        assertEquals(rows, db.snapshot());
        assertEquals(catalog, db.catalog());
        assertTrue(!Files.exists(rejects), "no reject file");
        assertEquals(0, db.count("SELECT COUNT(*) FROM " + (kind == TestDatabase.Kind.SQLITE ? "sqlite_master WHERE name"
                : "information_schema.tables WHERE table_name") + " LIKE 'ispdb_adopt%'"));
        assertNoScratchDatabases();
    }

    @Test
    void aDatabaseWithoutTheFourTablesIsNotAdopted() {
        db.update("CREATE TABLE dim_customer (customer_id INTEGER PRIMARY KEY, age INTEGER)");
        Cli.Run run = cli.run("init-schema", "--adopt", "--url", db.url());
        Cli.assertNoStackTrace(run);
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.err().contains("has no table dim_payment_method: --adopt takes over a database with the four "
                + "tables"), run::toString);
    }

    private static LocalDateTime timestamp(Object v) {
        if (v instanceof String s) {
            return LocalDateTime.parse(s, LegacyDatabase.STORED);
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        return (LocalDateTime) v;
    }

    private static int bool(List<List<Object>> rows) {
        Object v = rows.get(0).get(0);
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).intValue();
    }

    private void assertNoScratchDatabases() {
        if (kind == TestDatabase.Kind.MARIADB) {
            assertEquals(0, db.scratchDatabasesOfThisJvm());
        }
    }
}
