package ispdb.cluster;

import static ispdb.cluster.SpiderTest.BACKENDS;
import static ispdb.cluster.SpiderTest.column;
import static ispdb.cluster.SpiderTest.count;
import static ispdb.cluster.SpiderTest.execute;
import static ispdb.testing.Cli.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * copy from and to a MariaDB Spider head with three backends (scripts/spider), started once for the class: from a
 * head every row arrives, byte for byte as the head exports it, in SQLite, PostgreSQL and MariaDB; into a head that
 * init-schema --shards made, the rows land on their backends (a customer's on one), check finds nothing, and a
 * failed copy leaves nothing on any backend; a head with rows, or without the whole sharded schema, is refused.
 */
class SpiderCopyTest extends ClusterTest {
    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.spider();

    /** export's names of the four tables, parents first. */
    static final List<String> TABLES = List.of("payment-methods", "customers", "transactions", "predictions");

    static String head() {
        return cluster.url("head");
    }

    /** A database of this name on the head. */
    static String head(String database) {
        return head().replace("/test?", "/" + database + "?");
    }

    static String shards() {
        return String.join(",", BACKENDS.stream().map(n -> cluster.host(n) + ":" + cluster.port(n)).toList());
    }

    /** A new database on the head, with the sharded schema over the three backends (the database made on all four). */
    static String shardedDatabase(String database) throws Exception {
        for (String server : List.of("head", "1", "2", "3")) {
            execute(cluster.url(server), "CREATE DATABASE IF NOT EXISTS " + database);
        }
        run("init-schema", "--url", head(database), "--shards", shards());
        return head(database);
    }

    /** The head's exports by table (its rows do not change after the first test): read once. */
    static final Map<String, String> HEAD_EXPORTS = new LinkedHashMap<>();

    /** Every table's export, one after the other. */
    static String exports(String url) {
        StringBuilder all = new StringBuilder();
        for (String table : TABLES) {
            all.append(export(url, table));
        }
        return all.toString();
    }

    static String export(String url, String table) {
        if (url.equals(head())) {
            return HEAD_EXPORTS.computeIfAbsent(table, t -> run("export", "--url", url, "--table", t).out());
        }
        return run("export", "--url", url, "--table", table).out();
    }

    /** The rows of every table on each backend of a sharded database, and through its head. */
    static String placement(String database) throws Exception {
        StringBuilder s = new StringBuilder();
        for (String server : List.of("head", "1", "2", "3")) {
            String url = cluster.url(server).replace("/test?", "/" + database + "?");
            s.append(server);
            for (String table : List.of("dim_payment_method", "dim_customer", "fact_transaction", "clv_prediction")) {
                s.append(' ').append(count(url, "SELECT COUNT(*) FROM " + table));
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Test
    @Order(1)
    void theHeadHasTheShardedSchemaAndTheSampleData() throws Exception {
        run("init-schema", "--url", head(), "--shards", shards());
        run("load-csv", "--url", head(), "--dir", Path.of("sample-data").toAbsolutePath().toString());
        assertEquals(3000, count(head(), "SELECT COUNT(*) FROM fact_transaction"));
        for (String backend : BACKENDS) {
            assertTrue(count(cluster.url(backend), "SELECT COUNT(*) FROM fact_transaction") > 0, backend);
        }
    }

    /**
     * From a head into a new SQLite file: every row, the exports byte for byte the head's, the journal's digests
     * those of the head's exports (what export | sha256sum prints), the purchase summaries made as on the head.
     */
    @Test
    @Order(2)
    void aCopyFromAHeadToSqliteGivesEveryRowAsTheHeadExportsIt() throws Exception {
        String lite = "jdbc:sqlite:" + tmp.resolve("from-head.sqlite");
        Cli.Run copy = run("copy", "--from", head(), "--to", lite);
        assertTrue(copy.out().startsWith("loaded 3425 rows into dim_payment_method (5), dim_customer (300), "
                + "fact_transaction (3000), clv_prediction (120) in "), copy::toString);
        assertEquals(exports(head()), exports(lite));
        String history = run("history", "--url", lite, "--format", "csv").out();
        for (String[] table : new String[][] {{"customers", "dim_customer"}, {"transactions", "fact_transaction"},
                {"predictions", "clv_prediction"}, {"payment-methods", "dim_payment_method"}}) {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    export(head(), table[0]).getBytes(StandardCharsets.UTF_8)));
            assertTrue(history.contains(",copy," + table[1] + "," + head() + " " + table[1] + ",")
                    && history.contains("," + digest + ","), table[1] + " " + digest + "\n" + history);
        }
        for (String derived : List.of("customer_purchase_summary", "monthly_revenue")) {
            assertEquals(count(head(), "SELECT COUNT(*) FROM " + derived),
                    count(lite, "SELECT COUNT(*) FROM " + derived), derived);
        }
    }

    /** From a head into the machine's PostgreSQL and MariaDB (databases of this test's own, dropped after). */
    @Test
    @Order(3)
    void aCopyFromAHeadToPostgresqlAndMariadbGivesEveryRow() {
        String expected = exports(head());
        for (TestDatabase.Kind kind : TestDatabase.servers().toList()) {
            try (TestDatabase db = TestDatabase.create(kind, tmp)) {
                run("copy", "--from", head(), "--to", db.url());
                assertEquals(expected, exports(db.url()), kind.toString());
            }
        }
    }

    /**
     * Into an empty sharded database that init-schema --shards made, from SQLite: the rows land on the backends, each
     * customer's on one, the head's exports are the source's, check finds nothing, the head's journal has the copy.
     */
    @Test
    @Order(4)
    void aCopyToAHeadLandsEachCustomersRowsOnOneBackend() throws Exception {
        String lite = "jdbc:sqlite:" + tmp.resolve("from-head.sqlite");
        String copied = shardedDatabase("copied");
        run("copy", "--from", lite, "--to", copied);
        assertEquals(exports(head()), exports(copied)); // the source's, as the earlier test found
        Set<String> seen = new HashSet<>();
        long transactions = 0;
        for (String backend : BACKENDS) {
            String url = cluster.url(backend).replace("/test?", "/copied?");
            transactions += count(url, "SELECT COUNT(*) FROM fact_transaction");
            assertEquals(5, count(url, "SELECT COUNT(*) FROM dim_payment_method"), "payment methods on " + backend);
            for (String customer : column(url, "SELECT customer_id FROM dim_customer")) {
                assertTrue(seen.add(customer), "customer " + customer + " is on more than one backend");
            }
            assertEquals(0, count(url, "SELECT COUNT(*) FROM fact_transaction t LEFT JOIN dim_customer c"
                    + " ON c.customer_id = t.customer_id WHERE c.customer_id IS NULL"), "orphans on " + backend);
        }
        assertEquals(300, seen.size());
        assertEquals(3000, transactions);
        assertEquals(count(lite, "SELECT COUNT(*) FROM customer_purchase_summary"),
                count(copied, "SELECT COUNT(*) FROM customer_purchase_summary"));
        assertTrue(run("check", "--url", copied).out().contains("(0 findings)"));
        assertEquals(4, count(copied, "SELECT COUNT(*) FROM load_journal WHERE command = 'copy'"));
    }

    /**
     * From one head into another sharded database over two of the backends (docs/sharding.md's way to a new
     * layout), every table by the bulk path (in a JVM of its own, with the bulk threshold at 0 rows).
     */
    @Test
    @Order(5)
    void aCopyFromAHeadToAHeadOverOtherBackendsByTheBulkPath() throws Exception {
        for (String server : List.of("head", "1", "2")) {
            execute(cluster.url(server), "CREATE DATABASE IF NOT EXISTS resharded");
        }
        String resharded = head("resharded");
        run("init-schema", "--url", resharded, "--shards", shards().substring(0, shards().lastIndexOf(',')));
        Cli.Run copy = SafetySupport.start(tmp, List.of("-Dispdb.test.bulkLoadRows=0"), "copy", "-v", "--from",
                head(), "--to", resharded).await();
        assertEquals(0, copy.exitCode(), copy::toString);
        assertTrue(copy.err().contains("bulk load into fact_transaction"), copy::toString);
        assertEquals(exports(head()), exports(resharded));
    }

    /** A head with rows is refused as any target with rows is: exit code 2, nothing written on any backend. */
    @Test
    @Order(6)
    void aCopyToAHeadWithRowsIsRefused() throws Exception {
        String before = placement("copied");
        Cli.Run copy = CLI.run("copy", "--from", "jdbc:sqlite:" + tmp.resolve("from-head.sqlite"), "--to",
                head("copied"));
        assertEquals(2, copy.exitCode(), copy::toString);
        assertTrue(copy.err().contains(" already has rows in dim_payment_method (5), dim_customer (300), "
                + "fact_transaction (3000), clv_prediction (120): copy into an empty database"), copy::toString);
        assertNoStackTrace(copy);
        assertEquals(before, placement("copied"));
    }

    /**
     * A head without the whole sharded schema is refused (exit code 3, one sentence naming the remedy, nothing
     * made): Spider tables made by hand, and a sharded schema with a table left local on the head (the remedy,
     * init-schema --shards again, then makes it the next test's target). An empty database on the head is an
     * ordinary target: it gets the schema of one server.
     */
    @Test
    @Order(7)
    void aHeadWithoutTheShardedSchemaIsRefused() throws Exception {
        String lite = "jdbc:sqlite:" + tmp.resolve("from-head.sqlite");
        execute(head(), "CREATE DATABASE IF NOT EXISTS handmade");
        execute(head("handmade"), "CREATE TABLE IF NOT EXISTS dim_customer (customer_id BIGINT NOT NULL PRIMARY KEY,"
                + " age INT) ENGINE = SPIDER COMMENT = 'wrapper \"mysql\", srv \"ispdb_test_1\", table"
                + " \"dim_customer\"'");
        Cli.Run handmade = CLI.run("copy", "--from", lite, "--to", head("handmade"));
        assertEquals(3, handmade.exitCode(), handmade::toString);
        assertTrue(handmade.err().contains("is a Spider head with tables ispdb did not make (Spider tables, no schema"
                + " history): make the sharded schema in a new database with 'ispdb init-schema --shards"
                + " HOST:PORT,...' and copy into that; nothing was copied"), handmade::toString);
        assertNoStackTrace(handmade);
        assertEquals(List.of("dim_customer"), column(head(), "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'handmade'"));

        String unfinished = shardedDatabase("allornothing");
        execute(unfinished, "ALTER TABLE clv_prediction REMOVE PARTITIONING");
        execute(unfinished, "ALTER TABLE clv_prediction ENGINE = InnoDB");
        Cli.Run local = CLI.run("copy", "--from", lite, "--to", unfinished);
        assertEquals(3, local.exitCode(), local::toString);
        assertTrue(local.err().contains("is a sharded head whose layout is unfinished (clv_prediction: see 'ispdb"
                + " check'): finish it with 'ispdb init-schema --shards HOST:PORT,...' (its backends), then copy"
                + " again; nothing was copied"), local::toString);
        assertEquals("head 0 0 0 0\n1 0 0 0 0\n2 0 0 0 0\n3 0 0 0 0\n", placement("allornothing"));
        run("init-schema", "--url", unfinished, "--shards", shards());
        assertTrue(run("check", "--url", unfinished).out().contains("(0 findings)"));

        execute(head(), "CREATE DATABASE IF NOT EXISTS onehead");
        run("copy", "--from", lite, "--to", head("onehead"));
        assertEquals(0, count(head(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'onehead'"
                + " AND engine <> 'InnoDB'"));
        assertEquals(export(head(), "transactions"), export(head("onehead"), "transactions"));
    }

    /**
     * All or nothing across the backends: a copy whose last table has a bad row (after the customers and
     * transactions went to the backends) writes nothing anywhere; fixed, it lands once.
     */
    @Test
    @Order(8)
    void aFailedCopyToAHeadLeavesNothingOnAnyBackend() throws Exception {
        Path file = tmp.resolve("bad.sqlite");
        Files.copy(tmp.resolve("from-head.sqlite"), file);
        String bad = "jdbc:sqlite:" + file;
        execute(bad, "INSERT INTO clv_prediction (prediction_id, customer_id, clv, predicted_at) SELECT"
                + " MAX(prediction_id) + 1, 999999, 1.5, MAX(predicted_at) FROM clv_prediction");
        String target = head("allornothing"); // made whole by the earlier test
        Cli.Run copy = CLI.run("copy", "--from", bad, "--to", target);
        assertEquals(1, copy.exitCode(), copy::toString);
        assertTrue(copy.err().startsWith("clv_prediction:121: customer_id: unknown customer 999999\n"),
                copy::toString);
        assertEquals("head 0 0 0 0\n1 0 0 0 0\n2 0 0 0 0\n3 0 0 0 0\n", placement("allornothing"));
        assertEquals(0, count(target, "SELECT COUNT(*) FROM load_journal"));

        execute(bad, "DELETE FROM clv_prediction WHERE customer_id = 999999");
        run("copy", "--from", bad, "--to", target);
        assertEquals(exports(head()), exports(target));
    }
}
