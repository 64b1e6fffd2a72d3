package ispdb.cluster;

import static ispdb.cluster.SpiderTest.column;
import static ispdb.cluster.SpiderTest.count;
import static ispdb.cluster.SpiderTest.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What ispdb keeps on a Spider head that the database no longer can (docs/sharding.md, "Limits"): a transaction_id
 * and a prediction_id on one row across the backends (an upsert that gives a row another customer moves it; an id
 * given in a file is refused if any backend has it; the same id twice in a file is refused), a reference to a
 * customer that no backend has refused in ispdb's words, and check's view of the backends (their schemas, foreign
 * keys and all; an id on two backends). One head and three backends for the class, the sample data loaded through
 * the head and, for the comparisons with one server, into a plain database on the head's server.
 */
class SpiderKeysTest extends ClusterTest {
    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.spider();

    static final List<String> BACKENDS = List.of("1", "2", "3");
    static final String TRANSACTIONS = "transaction_id,customer_id,payment_method_id,transaction_date,amount\n";
    static final String PREDICTIONS = "prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,"
            + "is_campaign2_success,predicted_at\n";

    static String head() {
        return cluster.url("head");
    }

    static String plain() {
        return head().replace("/test?", "/plain?");
    }

    @BeforeAll
    static void shardedAndPlain() throws Exception {
        String shards = String.join(",", BACKENDS.stream().map(n -> cluster.host(n) + ":" + cluster.port(n)).toList());
        run("init-schema", "--url", head(), "--shards", shards);
        execute(head(), "CREATE DATABASE IF NOT EXISTS plain");
        run("init-schema", "--url", plain());
        for (String url : List.of(head(), plain())) {
            run("load-csv", "--url", url, "--dir", Path.of("sample-data").toAbsolutePath().toString());
        }
    }

    /** The customers on a backend, ascending. */
    static List<Long> customersOn(String backend) throws SQLException {
        return column(cluster.url(backend), "SELECT customer_id FROM dim_customer ORDER BY customer_id").stream()
                .map(Long::valueOf).toList();
    }

    /** A number a query on a backend gives. */
    static long number(String backend, String sql) throws SQLException {
        return Long.parseLong(column(cluster.url(backend), sql).get(0));
    }

    /** How many rows have this key on all the backends together. */
    static long onBackends(String table, String key, long id) throws SQLException {
        long n = 0;
        for (String backend : BACKENDS) {
            n += count(cluster.url(backend), "SELECT COUNT(*) FROM " + table + " WHERE " + key + " = " + id);
        }
        return n;
    }

    /** The backend that holds the row with this key. */
    static String backendOf(String table, String key, long id) throws SQLException {
        for (String backend : BACKENDS) {
            if (count(cluster.url(backend), "SELECT COUNT(*) FROM " + table + " WHERE " + key + " = " + id) > 0) {
                return backend;
            }
        }
        return null;
    }

    static Path file(String name, String text) {
        return SafetySupport.write(tmp, name, w -> w.write(text));
    }

    /** check's findings on the head, as its CSV lines (without the header). */
    static List<String> findings() {
        Cli.Run check = CLI.run("check", "--url", head(), "--format", "csv");
        assertTrue(check.exitCode() == 0 || check.exitCode() == 1, check::toString);
        List<String> lines = new ArrayList<>(List.of(check.out().strip().split("\n")));
        lines.remove(0);
        return lines;
    }

    /**
     * An upsert gives transactions and a prediction other customers: one on another backend, one on the same backend
     * (where the head's upsert alone failed with error 1032). Each key is on one row afterwards, on its new customer's
     * backend, and the purchase summaries and months' revenue are what one server makes of the same upsert.
     */
    @Test
    @Order(1)
    void anUpsertThatGivesARowAnotherCustomerMovesIt() throws Exception {
        long toOther = number("1", "SELECT MIN(transaction_id) FROM fact_transaction");
        long toSame = number("1", "SELECT MAX(transaction_id) FROM fact_transaction");
        long formerOther = number("1", "SELECT customer_id FROM fact_transaction WHERE transaction_id = " + toOther);
        long formerSame = number("1", "SELECT customer_id FROM fact_transaction WHERE transaction_id = " + toSame);
        long onBackend2 = customersOn("2").get(0);
        long sameBackend = customersOn("1").stream().filter(c -> c != formerSame && c != formerOther).findFirst()
                .orElseThrow();
        long prediction = number("1", "SELECT MIN(prediction_id) FROM clv_prediction");
        Path transactions = file("moved.csv", TRANSACTIONS
                + toOther + "," + onBackend2 + ",1,2023-06-01 10:00:00,12.5\n"
                + toSame + "," + sameBackend + ",2,2022-02-02 02:02:02,99.25\n");
        Path predictions = file("moved-predictions.csv", PREDICTIONS
                + prediction + "," + onBackend2 + ",321.5,Star,yes,no,2024-01-01 00:00:00\n");
        for (String url : List.of(head(), plain())) {
            run("load-csv", "--url", url, "--table", "transactions", "--mode", "upsert", transactions.toString());
            run("load-csv", "--url", url, "--table", "predictions", "--mode", "upsert", predictions.toString());
        }
        assertEquals(1, onBackends("fact_transaction", "transaction_id", toOther));
        assertEquals(1, onBackends("fact_transaction", "transaction_id", toSame));
        assertEquals(1, onBackends("clv_prediction", "prediction_id", prediction));
        assertEquals("2", backendOf("fact_transaction", "transaction_id", toOther));
        assertEquals("2", backendOf("clv_prediction", "prediction_id", prediction));
        assertEquals(List.of(toOther + " " + onBackend2, toSame + " " + sameBackend), column(head(),
                "SELECT CONCAT(transaction_id, ' ', customer_id) FROM fact_transaction WHERE transaction_id IN ("
                        + toOther + ", " + toSame + ") ORDER BY transaction_id"));
        assertEquals(3000, count(head(), "SELECT COUNT(*) FROM fact_transaction"));
        // the four customers' purchase summaries and every month's revenue, as one server has them
        for (String sql : List.of("SELECT CONCAT_WS(' ', customer_id, first_transaction_date, last_transaction_date,"
                + " purchase_days, transactions, total_amount, repeat_amount)"
                + " FROM customer_purchase_summary WHERE customer_id IN (" + formerOther + ", " + formerSame + ", "
                + onBackend2 + ", " + sameBackend + ") ORDER BY customer_id",
                "SELECT CONCAT_WS(' ', month, payment_method_id, revenue) FROM monthly_revenue"
                        + " ORDER BY month, payment_method_id")) {
            assertEquals(column(plain(), sql), column(head(), sql), sql);
        }
        for (String finding : findings()) {
            assertFalse(finding.contains("stale-summary") || finding.contains("duplicate-key"), finding);
        }
    }

    /** A prediction_id given in a file (load-csv, record-prediction --file) that a backend has is refused. */
    @Test
    @Order(2)
    void aPredictionIdOnAnotherShardIsRefused() throws Exception {
        long taken = number("3", "SELECT MAX(prediction_id) FROM clv_prediction");
        long elsewhere = customersOn("1").get(0);
        Path file = file("taken-prediction.csv", "prediction_id,customer_id,clv,predicted_customer_type,"
                + "is_campaign1_success,is_campaign2_success\n" + taken + "," + elsewhere + ",5.5,,,\n");
        long before = count(head(), "SELECT COUNT(*) FROM clv_prediction");
        for (String[] command : List.of(new String[] {"load-csv", "--table", "predictions"},
                new String[] {"record-prediction", "--file"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add(file.toString());
            args.addAll(List.of("--url", head()));
            Cli.Run load = CLI.run(args.toArray(String[]::new));
            assertEquals(1, load.exitCode(), load::toString);
            assertTrue(load.err().contains(file + ":2: prediction_id: " + taken + " is already in clv_prediction"),
                    load::toString);
        }
        assertEquals(before, count(head(), "SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(1, onBackends("clv_prediction", "prediction_id", taken));
        // the ids the head assigns are new on every backend
        Set<String> ids = new HashSet<>();
        for (String backend : BACKENDS) {
            String id = run("record-prediction", "--url", head(), "--customer", customersOn(backend).get(1).toString(),
                    "--clv", "10").out().strip();
            assertTrue(ids.add(id), "prediction_id " + id + " given twice");
            assertEquals(1, onBackends("clv_prediction", "prediction_id", Long.parseLong(id)), id);
        }
    }

    /** The same transaction_id twice in a file, for customers on two backends: refused as on one server. */
    @Test
    @Order(3)
    void theSameTransactionIdTwiceInAFileIsRefused() throws Exception {
        long id = 1 + count(head(), "SELECT MAX(transaction_id) FROM fact_transaction");
        Path file = file("twice.csv", TRANSACTIONS + id + "," + customersOn("1").get(0) + ",1,2023-01-01 00:00:00,1\n"
                + id + "," + customersOn("2").get(0) + ",1,2023-01-02 00:00:00,2\n");
        for (String mode : List.of("insert", "upsert")) {
            Cli.Run load = CLI.run("load-csv", "--url", head(), "--table", "transactions", "--mode", mode,
                    file.toString());
            assertEquals(1, load.exitCode(), load::toString);
            assertTrue(load.err().contains(file + ":3: transaction_id: " + id + " is on an earlier line too"),
                    load::toString);
        }
        assertEquals(0, onBackends("fact_transaction", "transaction_id", id));
    }

    /**
     * A transaction or prediction whose customer no backend has: refused by ispdb's key check, in its words (file,
     * line, column), never as the backend's foreign-key error through Spider.
     */
    @Test
    @Order(4)
    void aReferenceToACustomerOnNoBackendIsRefusedInIspdbsWords() throws Exception {
        long nobody = 1 + count(head(), "SELECT MAX(customer_id) FROM dim_customer");
        long id = 1 + count(head(), "SELECT MAX(transaction_id) FROM fact_transaction");
        Path transactions = file("nobody.csv", TRANSACTIONS + id + "," + nobody + ",1,2023-01-01 00:00:00,1\n");
        Path predictions = file("nobody-predictions.csv", "customer_id,clv,predicted_customer_type,"
                + "is_campaign1_success,is_campaign2_success\n" + nobody + ",3.5,,,\n");
        for (String[] command : List.of(
                new String[] {"load-csv", "--table", "transactions", transactions.toString()},
                new String[] {"load-csv", "--table", "transactions", "--mode", "upsert", transactions.toString()},
                new String[] {"record-prediction", "--file", predictions.toString()})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--url", head()));
            Cli.Run load = CLI.run(args.toArray(String[]::new));
            assertEquals(1, load.exitCode(), load::toString);
            String file = command[command.length - 1];
            assertTrue(load.err().contains(file + ":2: customer_id: unknown customer " + nobody), load::toString);
            assertFalse(load.err().contains("Spider") || load.err().contains("XA") || load.err().contains("1452"),
                    load::toString);
        }
        assertEquals(0, onBackends("fact_transaction", "transaction_id", id));
        assertEquals(0, count(head(), "SELECT COUNT(*) FROM clv_prediction WHERE customer_id = " + nobody));
    }

    /**
     * check on a head: each backend's schema compared with the migrated schema (a foreign key dropped on backend 2 is
     * a finding naming it), and an id that another program wrote to a second backend is a duplicate-key finding.
     */
    @Test
    @Order(5)
    void checkSeesTheBackendsSchemasAndIdsOnTwoBackends() throws Exception {
        String backend2 = cluster.url("2");
        String name = column(backend2, "SELECT constraint_name FROM information_schema.referential_constraints WHERE"
                + " constraint_schema = 'test' AND table_name = 'fact_transaction' AND referenced_table_name ="
                + " 'dim_customer'").get(0);
        execute(backend2, "ALTER TABLE fact_transaction DROP FOREIGN KEY " + name);
        long transaction = number("1", "SELECT MIN(transaction_id) FROM fact_transaction");
        long prediction = number("1", "SELECT MIN(prediction_id) FROM clv_prediction");
        long customer3 = customersOn("3").get(0);
        execute(cluster.url("3"), "INSERT INTO fact_transaction VALUES (" + transaction + ", " + customer3
                + ", 1, '2023-01-01 00:00:00', 1)");
        execute(cluster.url("3"), "INSERT INTO clv_prediction (prediction_id, customer_id, clv, predicted_at) VALUES ("
                + prediction + ", " + customer3 + ", 1, '2023-01-01 00:00:00')");
        try {
            List<String> findings = findings().stream().filter(f -> !f.contains("stale-derived")).toList();
            String port = Integer.toString(cluster.port("2"));
            assertTrue(findings.stream().anyMatch(f -> f.startsWith("fact_transaction," + name + ",schema-drift,")
                    && f.contains("on backend ispdb_test_2 (" + cluster.host("2") + ":" + port + "): missing"
                            + " foreign-key " + name)), findings::toString);
            assertTrue(findings.contains("fact_transaction," + transaction + ",duplicate-key,2 rows have"
                    + " transaction_id " + transaction), findings::toString);
            assertTrue(findings.contains("clv_prediction," + prediction + ",duplicate-key,2 rows have prediction_id "
                    + prediction), findings::toString);
            assertEquals(3, findings.stream().filter(f -> !f.contains("stale-summary")).count(), findings::toString);
        } finally {
            execute(cluster.url("3"), "DELETE FROM fact_transaction WHERE transaction_id = " + transaction);
            execute(cluster.url("3"), "DELETE FROM clv_prediction WHERE prediction_id = " + prediction);
            execute(backend2, "ALTER TABLE fact_transaction ADD CONSTRAINT " + name
                    + " FOREIGN KEY (customer_id) REFERENCES dim_customer (customer_id)");
        }
        assertEquals(List.of(), findings().stream().filter(f -> !f.contains("stale-derived")).toList());
    }
}
