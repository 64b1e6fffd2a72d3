package ispdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.load.ConcurrentLoadTest;
import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import ispdb.db.Database;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ispdb on a real 3-node MariaDB Galera cluster on 127.0.0.1 (scripts/galera), started once for the class: every
 * command gives the same results through any node; a read through one node sees what was just written through
 * another; a load streams (replicates in fragments) and is all or nothing when its node dies; eight concurrent
 * record-prediction cron jobs over a load-balancing multi-host URL land every prediction exactly once though a node
 * is killed with SIGKILL while they run and another session keeps writing the rows they refer to (certification
 * conflicts, error 1213); and of eight jobs that load the same predictions file at once through the three nodes,
 * exactly one lands.
 */
class GaleraClusterTest extends ClusterTest {
    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.galera().withSampleData("1", "2");

    /** All three nodes, tried in order (node 1 first, or node 3 first): a job fails over to the next. */
    static String sequentialUrl(boolean nodeOneFirst) {
        List<String> nodes = nodeOneFirst ? List.of("1", "2", "3") : List.of("3", "2", "1");
        return "jdbc:mariadb:sequential://" + String.join(",", nodes.stream().map(n -> "127.0.0.1:" + cluster.port(n))
                .toList()) + "/test?user=root";
    }

    static long count(String node, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.url(node)); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    @Order(1)
    void everyCommandGivesTheSameResultsThroughEveryNode() throws Exception {
        run("record-prediction", "--url", cluster.url("3"), "--customer", "7", "--clv", "4242.5", "--type", "Star");
        run("refresh-customer-stats", "--url", cluster.url("1"), "--as-of", "2024-01-01");
        for (String[] command : READS) {
            List<String> outputs = new ArrayList<>();
            for (String node : cluster.nodes()) {
                outputs.add(lastDigits(read(command, cluster.url(node))));
            }
            assertEquals(outputs.get(0), outputs.get(1), command[0] + " through nodes 1 and 2");
            assertEquals(outputs.get(0), outputs.get(2), command[0] + " through nodes 1 and 3");
        }
        for (String node : cluster.nodes()) {
            assertEquals(300, count(node, "SELECT COUNT(*) FROM dim_customer"));
            assertEquals(3000, count(node, "SELECT COUNT(*) FROM fact_transaction"));
            assertEquals(121, count(node, "SELECT COUNT(*) FROM clv_prediction"));
        }
        assertTrue(run("list-customers", "--url", cluster.url("1"), "--min-clv", "4242", "--format", "csv").out()
                .contains("4242.5"));
    }

    /**
     * Averages of doubles can differ in their last bits between nodes (each node sums in its own order), as between
     * two query plans on one server: numbers are compared to 10 significant digits.
     */
    static String lastDigits(String output) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+\\.\\d+").matcher(output);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, new java.math.BigDecimal(m.group())
                    .round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString());
        }
        return m.appendTail(b).toString();
    }

    /** wsrep_sync_wait on ispdb's sessions: a listing right after a write through another node shows it. */
    @Test
    @Order(2)
    void aListingRightAfterAWriteThroughAnotherNodeSeesIt() {
        for (int round = 0; round < 12; round++) {
            int i = round;
            String writer = cluster.nodes().get(i % 3);
            String reader = cluster.nodes().get((i + 1) % 3);
            String type = "Fresh" + i;
            if (i % 2 == 0) {
                run("record-prediction", "--url", cluster.url(writer), "--customer", Integer.toString(10 + i), "--clv",
                        Integer.toString(90_000 + i), "--type", type);
            } else {
                Path file = SafetySupport.write(tmp, "fresh-" + i + ".csv", w -> w.write(
                        "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n"
                        + (10 + i) + "," + (90_000 + i) + "," + type + ",true,false\n"));
                run("record-prediction", "--url", cluster.url(writer), "--file", file.toString());
            }
            Cli.Run listed = run("list-customers", "--url", cluster.url(reader), "--type", type, "--format", "csv");
            assertTrue(listed.out().contains(Integer.toString(90_000 + i)),
                    () -> "written through node " + writer + ", not seen at once through node " + reader + ": " + listed);
        }
    }

    /** A reading session waits for the cluster's earlier commits; a writing one streams its write set. */
    @Test
    @Order(3)
    void ispdbSessionsOnAGaleraNodeReadTheirWritesAndStream() throws Exception {
        try (Database db = Database.open(new Database.Settings(cluster.url("2"), null, null, 1000), false)) {
            try (SqlSession read = db.session(ExecutorType.SIMPLE); Statement s = read.getConnection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@wsrep_sync_wait, @@wsrep_trx_fragment_size")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals(0, rs.getLong(2));
            }
            try (SqlSession write = db.writeSession(ExecutorType.SIMPLE);
                    Statement s = write.getConnection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@wsrep_sync_wait, @@wsrep_trx_fragment_unit, "
                            + "@@wsrep_trx_fragment_size")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals("bytes", rs.getString(2));
                assertEquals(64L << 20, rs.getLong(3));
            }
            assertTrue(db.galeraNode());
        }
    }

    /**
     * A load larger than the cluster's write-set limit: with the limit lowered to 1 MiB on every node (in place of
     * its 2 GB, which a 10M-row load would pass), a 2.4 MB load commits in fragments (lowered to 64 KiB, in
     * place of 64 MiB), where as one write set (fragments off) it is refused, and nothing of it is written.
     */
    @Test
    @Order(4)
    void aLoadLargerThanTheWriteSetLimitCommitsInFragments() throws Exception {
        Path file = SafetySupport.transactions(tmp, "larger-than-a-write-set.csv", 500_000, 40_000, 300);
        long before = count("1", "SELECT COUNT(*) FROM fact_transaction");
        for (String node : cluster.nodes()) {
            execute(node, "SET GLOBAL wsrep_max_ws_size = 1048576");
        }
        try {
            Cli.Run whole = SafetySupport.start(tmp, List.of("-Dispdb.test.galeraFragmentBytes=0"), "load-csv", "--url",
                    cluster.url("2"), "--table", "transactions", file.toString()).await();
            assertEquals(3, whole.exitCode(), whole::toString);
            Cli.assertNoStackTrace(whole);
            assertEquals(before, count("1", "SELECT COUNT(*) FROM fact_transaction"));
            Cli.Run streamed = SafetySupport.start(tmp, List.of("-Dispdb.test.galeraFragmentBytes=65536"), "load-csv",
                    "--url", cluster.url("2"), "--table", "transactions", file.toString()).await();
            assertEquals(0, streamed.exitCode(), streamed::toString);
        } finally {
            for (String node : cluster.nodes()) {
                execute(node, "SET GLOBAL wsrep_max_ws_size = DEFAULT");
            }
        }
        for (String node : cluster.nodes()) {
            assertEquals(before + 40_000, count(node, "SELECT COUNT(*) FROM fact_transaction"), "rows on node " + node);
        }
    }

    /** A connection through {@code node} in a transaction that holds customer 299 (until it ends or dies). */
    static Connection holding(String node) throws SQLException {
        Connection c = DriverManager.getConnection(cluster.url(node));
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT * FROM dim_customer WHERE customer_id = 299 FOR UPDATE").close();
        }
        return c;
    }

    /** Transactions waiting for a lock on this node. */
    static long waiting(String node) throws SQLException {
        return count(node, "SELECT COUNT(*) FROM information_schema.innodb_lock_waits");
    }

    static void execute(String node, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.url(node)); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * A load through node 3 that replicates in fragments (lowered to 64 KiB here) while node 3 is killed: the other
     * nodes roll its fragments back, and have none of its rows.
     */
    @Test
    @Order(5)
    void aLoadThroughANodeThatDiesIsAllOrNothingOnTheOthers() throws Exception {
        long before = count("1", "SELECT COUNT(*) FROM fact_transaction");
        // the rows come through a pipe that the test keeps open: the load cannot commit before node 3 is dead
        SafetySupport.Child load = SafetySupport.start(tmp, List.of("-Dispdb.test.galeraFragmentBytes=65536"), true,
                "load-csv", "--url", cluster.url("3"), "--table", "transactions", "-");
        boolean streaming = false;
        try (java.io.OutputStream in = load.process.getOutputStream()) {
            StringBuilder line = new StringBuilder();
            in.write("transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (long id = 1_000_000; id < 1_030_000; id++) {
                in.write(SafetySupport.transactionLine(line, id, 300).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            in.flush();
            for (int i = 0; i < 1200 && load.isAlive() && !streaming; i++) {
                streaming = count("1", "SELECT COUNT(*) FROM mysql.wsrep_streaming_log") > 0;
                if (!streaming) {
                    Thread.sleep(50);
                }
            }
            assertTrue(streaming, () -> "node 1 never held a fragment of the load: " + SafetySupport.read(load.err));
            cluster.control("kill", "3");
        } catch (java.io.IOException brokenPipe) {
            // the load ended already (it is asserted below)
        }
        Cli.Run loaded = load.await();
        assertEquals(3, loaded.exitCode(), loaded::toString);
        Cli.assertNoStackTrace(loaded);
        for (String node : List.of("1", "2")) {
            assertEquals(before, count(node, "SELECT COUNT(*) FROM fact_transaction"), "rows on node " + node);
        }
        long fragments = 1;
        for (int i = 0; i < 600 && fragments > 0; i++) {
            fragments = count("1", "SELECT COUNT(*) FROM mysql.wsrep_streaming_log")
                    + count("2", "SELECT COUNT(*) FROM mysql.wsrep_streaming_log");
            Thread.sleep(100);
        }
        assertEquals(0, fragments, "fragments of the dead node's load left on the others");
        cluster.control("start-node", "3");
        assertEquals(before, count("3", "SELECT COUNT(*) FROM fact_transaction"));
    }

    /**
     * Eight record-prediction --file cron jobs at once over a load-balancing URL; meanwhile another session keeps
     * updating the customers they refer to (through node 2), and node 1 is killed with SIGKILL. Every job ends with
     * exit code 0 and every prediction is there exactly once.
     */
    /**
     * Eight jobs load the same predictions file at once, spread over the three nodes (threads of this JVM running
     * the real command line, released together), 20 rounds of a new file each: exactly one lands; the others
     * exit 1 with the sentence that says the file was loaded by a concurrent job (on the other nodes their claim
     * of the file fails certification at commit, error 1213, and the attempt that runs again finds the journal
     * entry). Every node has each round's predictions once.
     */
    @Test
    @Order(6)
    void ofEightLoadsOfTheSameFileOverThreeNodesExactlyOneLands() throws Exception {
        int jobs = ConcurrentLoadTest.JOBS;
        int rounds = ConcurrentLoadTest.ROUNDS;
        int rows = ConcurrentLoadTest.PREDICTIONS;
        long predictionsBefore = count("1", "SELECT COUNT(*) FROM clv_prediction");
        long claimsBefore = count("1", "SELECT COUNT(*) FROM load_claim");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(jobs);
        int concurrent = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                String tag = "Same" + round;
                String file = SafetySupport.predictions(tmp, "same-" + round + ".csv", rows, 300, tag).toString();
                boolean record = round % 2 == 0;
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(jobs);
                List<java.util.concurrent.Future<Cli.Run>> started = new ArrayList<>();
                for (int j = 0; j < jobs; j++) {
                    String url = cluster.url(cluster.nodes().get((j + round) % 3));
                    String[] args = record ? new String[] {"record-prediction", "--url", url, "--file", file}
                            : new String[] {"load-csv", "--url", url, "--table", "predictions", file};
                    started.add(pool.submit(() -> {
                        start.await(60, java.util.concurrent.TimeUnit.SECONDS);
                        return CLI.run(args);
                    }));
                }
                List<Cli.Run> runs = new ArrayList<>();
                for (java.util.concurrent.Future<Cli.Run> job : started) {
                    runs.add(job.get(180, java.util.concurrent.TimeUnit.SECONDS));
                }
                String round1 = tag;
                assertEquals(1, runs.stream().filter(r -> r.exitCode() == 0).count(), () -> round1 + ": " + runs);
                for (Cli.Run r : runs) {
                    if (r.exitCode() != 0) {
                        concurrent += ConcurrentLoadTest.refusedAsLoaded(file, rows, r) ? 1 : 0;
                    }
                }
                for (String node : cluster.nodes()) {
                    assertEquals(rows, count(node, "SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = '"
                            + tag + "'"), tag + " on node " + node);
                    assertEquals(1, count(node, "SELECT COUNT(*) FROM load_journal WHERE file_name = '" + file + "'"),
                            tag + " on node " + node);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (String node : cluster.nodes()) {
            assertEquals(predictionsBefore + (long) rounds * rows, count(node, "SELECT COUNT(*) FROM clv_prediction"));
            assertEquals(claimsBefore + rounds, count(node, "SELECT COUNT(*) FROM load_claim"));
        }
        System.err.println("GaleraClusterTest: " + concurrent + " of " + rounds * (jobs - 1) + " refused jobs were "
                + "told of a concurrent job, the others of a load before theirs started");
    }

    @Test
    @Order(7)
    void eightCronJobsLandEveryPredictionOnceThoughANodeDiesAndTheyConflict() throws Exception {
        int jobs = 8;
        int rows = 1000;
        long journalBefore = count("2", "SELECT COUNT(*) FROM load_journal");
        List<SafetySupport.Child> children = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        // the jobs stop in the middle of their transactions, on nodes 1 and 3: there the test holds customer 299, the
        // 300th row of every file, so each job waits for it holding the foreign-key check's locks on customers 0-298
        try (Connection hold1 = holding("1"); Connection hold3 = holding("3")) {
            for (int j = 0; j < jobs; j++) {
                Path file = SafetySupport.predictions(tmp, "cron-" + j + ".csv", rows, 300, "cron" + j);
                logs.add(tmp.resolve("cron-" + j + ".log"));
                children.add(SafetySupport.start(tmp, List.of(), "record-prediction", "--url",
                        sequentialUrl(j % 2 == 0), "--file", file.toString(), "--log-file", logs.get(j).toString()));
            }
            for (int i = 0; i < 1200 && (waiting("1") < 1 || waiting("3") < 1); i++) {
                Thread.sleep(50);
            }
            // a write through node 2 to customer 5: applied on nodes 1 and 3, it aborts the waiting jobs there, which
            // hold customer 5 (Galera's brute-force abort; the client sees error 1213, a deadlock)
            execute("2", "UPDATE dim_customer SET age = age + 1 WHERE customer_id = 5");
            // (a causal read on each: the update is applied there, so the waiting jobs were aborted)
            count("1", "SELECT age FROM dim_customer WHERE customer_id = 5");
            count("3", "SELECT age FROM dim_customer WHERE customer_id = 5");
            // and node 1 dies under the jobs that tried again there and wait once more
            for (int i = 0; i < 1200 && waiting("1") < 1; i++) {
                Thread.sleep(50);
            }
            cluster.control("kill", "1");
            hold3.rollback();
        }
        List<Cli.Run> runs = new ArrayList<>();
        for (SafetySupport.Child child : children) {
            runs.add(child.await());
        }
        for (Cli.Run r : runs) {
            assertEquals(0, r.exitCode(), r::toString);
        }
        int retried = 0;
        int conflicts = 0;
        for (Path log : logs) {
            String text = SafetySupport.read(log);
            retried += text.contains("trying again") ? 1 : 0;
            conflicts += text.contains("Deadlock") ? 1 : 0;
        }
        System.err.println("GaleraClusterTest: " + retried + " of " + jobs + " cron jobs tried again, " + conflicts
                + " of them after a certification conflict or deadlock (error 1213)");
        assertTrue(retried > 0, "no job had to try again: neither the conflict nor the dead node reached one");
        assertTrue(conflicts > 0, "no job saw the conflict (error 1213)");
        for (String node : List.of("2", "3")) {
            for (int j = 0; j < jobs; j++) {
                assertEquals(rows, count(node, "SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = 'cron"
                        + j + "'"), "predictions of job " + j + " on node " + node);
            }
            assertEquals(journalBefore + jobs, count(node, "SELECT COUNT(*) FROM load_journal"));
        }
    }
    /**
     * A node still applying the cluster's writes (node 3, paused here as a large load through another node keeps it
     * busy, with its causal-read timeout shortened to 1 ms as the issue reproduced it) cannot serve the read of the
     * schema version in time (error 1205): that is a failed read, not a database without ispdb's schema. A listing
     * through it waits for the node (and then shows the write it was behind on), or, when the node does not catch
     * up within 30 s, says so in one sentence with exit code 3.
     */
    @Test
    @Order(7)
    void aNodeStillApplyingIsWaitedForAndNeverTakenForOneWithoutTheSchema() throws Exception {
        execute("3", "SET GLOBAL wsrep_provider_options = 'repl.causal_read_timeout=PT0.001S'");
        try (Connection pause = DriverManager.getConnection(cluster.url("3")); Statement s = pause.createStatement()) {
            // desynchronised, node 3 lets the cluster go on; the global read lock stops its applying
            s.execute("SET GLOBAL wsrep_desync = ON");
            s.execute("FLUSH TABLES WITH READ LOCK");
            try {
                run("record-prediction", "--url", cluster.url("2"), "--customer", "8", "--clv", "777001.5", "--type",
                        "Applying");
                Cli.Run refused = CLI.run("list-customers", "--url", cluster.url("3"), "--type", "Applying");
                assertEquals(3, refused.exitCode(), refused::toString);
                assertTrue(refused.err().contains("did not let ispdb read its schema version"), refused::toString);
                assertEquals(1, refused.err().strip().lines().count(), refused::toString);
                Cli.assertNoStackTrace(refused);
                Path log = tmp.resolve("applying.log");
                SafetySupport.Child listing = SafetySupport.start(tmp, List.of(), "list-customers", "--url",
                        cluster.url("3"), "--type", "Applying", "--format", "csv", "--log-file", log.toString());
                for (int i = 0; i < 1200 && !(Files.exists(log) && SafetySupport.read(log).contains("trying again"));
                        i++) {
                    Thread.sleep(50);
                }
                assertTrue(SafetySupport.read(log).contains("trying again"), "the listing did not wait for node 3");
                s.execute("UNLOCK TABLES");
                s.execute("SET GLOBAL wsrep_desync = OFF");
                Cli.Run listed = listing.await();
                assertEquals(0, listed.exitCode(), listed::toString);
                assertTrue(listed.out().contains("777001.5"), listed::toString);
            } finally {
                s.execute("UNLOCK TABLES");
                s.execute("SET GLOBAL wsrep_desync = OFF");
            }
        } finally {
            execute("3", "SET GLOBAL wsrep_provider_options = 'repl.causal_read_timeout=PT30S'");
        }
    }
}
