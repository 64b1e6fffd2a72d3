package ispdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.db.Database;
import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ispdb on a MariaDB Spider head with three backends on 127.0.0.1 to 127.0.0.4 (scripts/spider), started once for
 * the class: init-schema --shards makes the sharded layout (Spider tables on the head partitioned by customer, the
 * real tables with their foreign keys on the backends, the schema history local to the head); a load lands each
 * customer's rows on one backend; the reads give what one plain server gives for the same rows; a transaction_id
 * already on another shard is refused; check and schema-status know the layout; --adopt leaves a Spider head alone.
 */
class SpiderTest extends ClusterTest {
    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.spider();

    static final List<String> BACKENDS = List.of("1", "2", "3");

    static String head() {
        return cluster.url("head");
    }

    static String shards() {
        return String.join(",", BACKENDS.stream().map(n -> cluster.host(n) + ":" + cluster.port(n)).toList());
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> column(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The INSERT statements the backends have run since they started. */
    static long backendInserts() throws SQLException {
        long inserts = 0;
        for (String backend : BACKENDS) {
            inserts += Long.parseLong(column(cluster.url(backend), "SELECT variable_value FROM"
                    + " information_schema.global_status WHERE variable_name = 'COM_INSERT'").get(0));
        }
        return inserts;
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @Order(1)
    void initSchemaWithShardsMakesTheShardedLayout() throws Exception {
        Cli.Run init = run("init-schema", "--url", head(), "--shards", shards());
        assertTrue(init.out().contains("created the ispdb schema (version 6)"), init::toString);
        assertTrue(init.out().contains("sharded over 3 backends: " + shards().replace(",", ", ")), init::toString);
        assertEquals(List.of("clv_prediction SPIDER", "customer_purchase_summary SPIDER", "dim_customer SPIDER",
                "dim_payment_method SPIDER", "fact_transaction SPIDER", "flyway_schema_history InnoDB",
                "load_claim SPIDER", "load_journal SPIDER", "monthly_revenue SPIDER"),
                column(head(), "SELECT CONCAT(table_name, ' ', engine) FROM information_schema.tables"
                        + " WHERE table_schema = 'test' ORDER BY table_name"));
        assertEquals(3, count(head(), "SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = 'test'"
                + " AND table_name = 'fact_transaction' AND partition_comment LIKE 'srv \"ispdb_test_%\"'"));
        assertEquals("transaction_id,customer_id", column(head(), "SELECT GROUP_CONCAT(column_name ORDER BY"
                + " ordinal_position) FROM information_schema.key_column_usage WHERE table_schema = 'test' AND"
                + " table_name = 'fact_transaction' AND constraint_name = 'PRIMARY'").get(0));
        assertEquals(0, count(head(), "SELECT COUNT(*) FROM information_schema.referential_constraints"
                + " WHERE constraint_schema = 'test'"));
        for (String backend : BACKENDS) {
            // the migrated schema on each backend, its foreign keys there
            assertEquals(4, count(cluster.url(backend), "SELECT COUNT(*) FROM information_schema.referential_constraints"
                    + " WHERE constraint_schema = 'test'"), "foreign keys on backend " + backend);
            assertEquals(0, count(cluster.url(backend), "SELECT COUNT(*) FROM information_schema.tables WHERE"
                    + " table_schema = 'test' AND engine <> 'InnoDB'"), "backend " + backend);
        }
        Cli.Run again = run("init-schema", "--url", head(), "--shards", shards());
        assertTrue(again.out().contains("nothing to do"), again::toString);
        Cli.Run fewer = CLI.run("init-schema", "--url", head(), "--shards",
                shards().substring(0, shards().lastIndexOf(',')));
        assertEquals(2, fewer.exitCode(), fewer::toString);
        assertTrue(fewer.err().contains("adding or removing a backend later is not supported"), fewer::toString);
        String status = run("schema-status", "--url", head()).out();
        assertTrue(status.contains("layout:          sharded by customer (Spider) over 3 backends: ispdb_test_1,"
                + " ispdb_test_2, ispdb_test_3"), status);
    }

    @Test
    @Order(2)
    void aLoadLandsEachCustomersRowsOnOneBackend() throws Exception {
        long insertsBefore = backendInserts();
        run("load-csv", "--url", head(), "--dir", Path.of("sample-data").toAbsolutePath().toString());
        // the rows reach the backends many a statement (INSERTs of many rows, the summaries' INSERT ... SELECT), not
        // one statement per row: 3,425 rows and 300 summaries took over 3,700 statements so (now about 100, most of
        // them the 24 months' revenue, one statement a month on each backend)
        long inserts = backendInserts() - insertsBefore;
        assertTrue(inserts < 500, inserts + " INSERT statements reached the backends");
        long customers = 0;
        long transactions = 0;
        long predictions = 0;
        Set<String> seen = new HashSet<>();
        for (String backend : BACKENDS) {
            String url = cluster.url(backend);
            long here = count(url, "SELECT COUNT(*) FROM dim_customer");
            assertTrue(here > 0, "no customer on backend " + backend);
            customers += here;
            transactions += count(url, "SELECT COUNT(*) FROM fact_transaction");
            predictions += count(url, "SELECT COUNT(*) FROM clv_prediction");
            assertEquals(5, count(url, "SELECT COUNT(*) FROM dim_payment_method"), "payment methods on " + backend);
            for (String customer : column(url, "SELECT DISTINCT customer_id FROM fact_transaction UNION"
                    + " SELECT DISTINCT customer_id FROM clv_prediction UNION SELECT customer_id FROM dim_customer")) {
                assertTrue(seen.add(customer), "customer " + customer + " has rows on more than one backend");
            }
            // the backends' foreign keys hold: each transaction's and prediction's customer is on its backend
            assertEquals(0, count(url, "SELECT COUNT(*) FROM fact_transaction t LEFT JOIN dim_customer c"
                    + " ON c.customer_id = t.customer_id WHERE c.customer_id IS NULL"));
        }
        assertEquals(300, customers);
        assertEquals(3000, transactions);
        assertEquals(120, predictions);
        assertEquals(3000, count(head(), "SELECT COUNT(*) FROM fact_transaction"));
        Cli.Run check = run("check", "--url", head());
        assertTrue(check.out().contains("(0 findings)"), check::toString);
    }

    @Test
    @Order(3)
    void theReadsGiveWhatOnePlainServerGives() throws Exception {
        execute(head(), "CREATE DATABASE IF NOT EXISTS plain");
        String plain = head().replace("/test?", "/plain?");
        run("init-schema", "--url", plain);
        run("load-csv", "--url", plain, "--dir", Path.of("sample-data").toAbsolutePath().toString());
        for (String url : List.of(head(), plain)) {
            run("refresh-customer-stats", "--url", url, "--as-of", "2024-01-01");
        }
        List<String[]> reads = List.of(new String[] {"list-customers", "--limit", "400", "--format", "csv"},
                new String[] {"list-customers", "--sort", "clv", "--desc", "--limit", "5", "--format", "csv"},
                new String[] {"rfm-summary", "--as-of", "2024-01-01", "--format", "csv"},
                new String[] {"survival", "--by", "gender", "--format", "csv"},
                new String[] {"export", "--table", "customers"}, new String[] {"export", "--table", "transactions"},
                new String[] {"export", "--table", "payment-methods"});
        for (String[] command : reads) {
            assertEquals(comparable(read(command, plain)), comparable(read(command, head())), String.join(" ", command));
        }
        Cli.Run check = run("check", "--url", head());
        assertTrue(check.out().contains("(0 findings)"), check::toString);
    }

    /**
     * An output to compare between the head and the plain server: today's times (the predictions' predicted_at, the
     * time of each load, as sample-data has none) as "LOADED", numbers to 10 significant digits.
     */
    static String comparable(String output) {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        return GaleraClusterTest.lastDigits(output.replaceAll(today + " [0-9:.]+", "LOADED"));
    }

    /** The database no longer keeps transaction_id unique across shards; the load's key check does. */
    @Test
    @Order(4)
    void aTransactionIdOnAnotherShardIsRefused() throws Exception {
        String taken = column(cluster.url("1"), "SELECT MIN(transaction_id) FROM fact_transaction").get(0);
        String elsewhere = column(cluster.url("2"), "SELECT MIN(customer_id) FROM dim_customer").get(0);
        Path file = SafetySupport.write(tmp, "taken.csv", w -> w.write(
                "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                + taken + "," + elsewhere + ",1,2024-01-01 00:00:00,5.5\n"));
        long before = count(head(), "SELECT COUNT(*) FROM fact_transaction");
        Cli.Run load = CLI.run("load-csv", "--url", head(), "--table", "transactions", file.toString());
        assertEquals(1, load.exitCode(), load::toString);
        assertTrue(load.err().contains("transaction_id: " + taken + " is already in fact_transaction"), load::toString);
        assertEquals(before, count(head(), "SELECT COUNT(*) FROM fact_transaction"));
    }

    /** spider_internal_xa is the session's in MariaDB 10.11: every ispdb session on a head sets it. */
    @Test
    @Order(5)
    void ispdbSessionsOnAHeadCommitAcrossBackendsWithXa() throws Exception {
        try (Database db = Database.open(new Database.Settings(head(), null, null, 1000), false)) {
            try (SqlSession write = db.writeSession(ExecutorType.SIMPLE);
                    Statement s = write.getConnection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@session.spider_internal_xa, @@global.spider_internal_xa,"
                            + " @@session.spider_direct_aggregate")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals(1, rs.getInt(2), "scripts/spider starts the head with spider_internal_xa=1");
                assertEquals(0, rs.getInt(3));
            }
            assertTrue(db.spiderEngine());
        }
    }

    /** A head made by hand (Spider tables, no schema history): --adopt would make them local tables; it refuses. */
    @Test
    @Order(6)
    void adoptLeavesASpiderHeadAlone() throws Exception {
        execute(head(), "CREATE DATABASE IF NOT EXISTS handmade");
        String handmade = head().replace("/test?", "/handmade?");
        execute(handmade, "CREATE TABLE IF NOT EXISTS dim_customer (customer_id BIGINT NOT NULL PRIMARY KEY, age INT)"
                + " ENGINE = SPIDER COMMENT = 'wrapper \"mysql\", srv \"ispdb_test_1\", table \"dim_customer\"'");
        Cli.Run adopt = CLI.run("init-schema", "--adopt", "--url", handmade);
        assertEquals(3, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("is a Spider head"), adopt::toString);
        assertEquals("SPIDER", column(head(), "SELECT engine FROM information_schema.tables WHERE table_schema ="
                + " 'handmade' AND table_name = 'dim_customer'").get(0));
    }
}
