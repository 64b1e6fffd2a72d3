package ispdb.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * All or nothing across a Spider head's backends (docs/sharding.md), with a head and three backends started once for
 * the class: a load of {@link #ROWS} transactions through the head, cut short three ways, leaves nothing committed on
 * any backend and the load journal as it was, and its rerun lands once. ispdb is SIGKILLed mid-load; a backend is
 * SIGKILLed mid-load; a backend is SIGKILLed while the head's COMMIT waits on it (its commits held by BACKUP STAGE
 * BLOCK_COMMIT, after the other backends have prepared their XA branches). And the head is SIGKILLed there: the
 * prepared branches it leaves on the backends are rolled back by hand (docs/sharding.md). Each test leaves every
 * server running.
 */
class SpiderAtomicityTest extends ClusterTest {
    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.spider();

    static final List<String> BACKENDS = List.of("1", "2", "3");
    /**
     * Transactions per load, over the sample's 300 customers: a load through the head takes seconds (about 1,300 rows
     * a second here), long enough to be cut short at a moment the test sees, short enough for the reruns.
     */
    static final int ROWS = 10_000;

    static String head() {
        return cluster.url("head");
    }

    @BeforeAll
    static void shardedSchemaWithTheSampleData() {
        String shards = String.join(",", BACKENDS.stream().map(n -> cluster.host(n) + ":" + cluster.port(n)).toList());
        run("init-schema", "--url", head(), "--shards", shards);
        run("load-csv", "--url", head(), "--dir", Path.of("sample-data").toAbsolutePath().toString());
    }

    /** The transactions file of a test: ROWS new transaction_ids from {@code first}, over customers 0 to 299. */
    static Path transactions(String name, long first) {
        return SafetySupport.transactions(tmp, name, first, ROWS, 300);
    }

    /**
     * What a load may change, as one line: each backend's transactions, purchase summaries, monthly revenue and
     * load journal entries, and its prepared XA branches (XA RECOVER).
     */
    static String state(List<String> backends) throws SQLException {
        StringBuilder s = new StringBuilder();
        for (String backend : backends) {
            String url = cluster.url(backend);
            s.append("backend ").append(backend).append(": ")
                    .append(SpiderTest.count(url, "SELECT COUNT(*) FROM fact_transaction")).append(" transactions, ")
                    .append(SpiderTest.column(url, "SELECT CONCAT(COUNT(*), ' summaries ', COALESCE(SUM(transactions), 0))"
                            + " FROM customer_purchase_summary").get(0)).append(", revenue ")
                    .append(SpiderTest.column(url, "SELECT COALESCE(SUM(revenue), 0) FROM monthly_revenue").get(0))
                    .append(", ").append(SpiderTest.count(url, "SELECT COUNT(*) FROM load_journal"))
                    .append(" journal entries, prepared XA branches ").append(prepared(backend)).append("; ");
        }
        return s.toString();
    }

    /** A server's prepared XA branches (XA RECOVER), each as its xid in SQL ('gtrid','bqual',formatID). */
    static List<String> prepared(String server) throws SQLException {
        List<String> xids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(cluster.url(server)); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("XA RECOVER FORMAT = 'SQL'")) {
            while (rs.next()) {
                String data = rs.getString("data");
                xids.add(data.matches(".*,[0-9]+") && data.split(",").length > 2 ? data
                        : data + "," + rs.getInt("formatID"));
            }
        }
        return xids;
    }

    /** The head's record of Spider's XA transactions (mysql.spider_xa): xid data and status, one a line. */
    static List<String> spiderXa() throws SQLException {
        return SpiderTest.column(head(), "SELECT CONCAT(TRIM(TRAILING CHAR(0) FROM data), ' ', status)"
                + " FROM mysql.spider_xa ORDER BY data");
    }

    /** Rows being written on a backend by a transaction it has not committed. */
    static long uncommitted(String backend) throws SQLException {
        return SpiderTest.count(cluster.url(backend),
                "SELECT COALESCE(SUM(trx_rows_modified), 0) FROM information_schema.innodb_trx");
    }

    /** Waits until the backends hold no uncommitted rows (the head rolled the killed load's branches back). */
    static void awaitRolledBack(List<String> backends) throws Exception {
        long left = 1;
        for (int i = 0; i < 600 && left > 0; i++) {
            left = 0;
            for (String backend : backends) {
                left += uncommitted(backend);
            }
            if (left > 0) {
                Thread.sleep(100);
            }
        }
        assertEquals(0, left, "uncommitted rows left on the backends " + backends);
    }

    /**
     * A load through the head of the transactions of {@link #transactions}, read from its standard input, which the
     * test keeps open (closed by {@link #endInput}): the load cannot commit before the test has done what it does
     * mid-load. Returns once a backend holds at least a tenth of its share of the load's rows, not committed.
     */
    static SafetySupport.Child loadMidWay(long first, String backend) throws Exception {
        SafetySupport.Child load = SafetySupport.start(tmp, List.of(), true, "load-csv", "--url", head(), "--table",
                "transactions", "-");
        OutputStream in = load.process.getOutputStream();
        StringBuilder line = new StringBuilder();
        in.write("transaction_id,customer_id,payment_method_id,transaction_date,amount\n".getBytes(UTF_8));
        for (long id = first; id < first + ROWS; id++) {
            in.write(SafetySupport.transactionLine(line, id, 300).getBytes(UTF_8));
        }
        in.flush();
        boolean writing = false;
        for (int i = 0; i < 1200 && load.isAlive() && !writing; i++) {
            writing = uncommitted(backend) >= ROWS / 30;
            if (!writing) {
                Thread.sleep(50);
            }
        }
        assertTrue(writing, () -> "the load never wrote to backend " + backend + ": " + SafetySupport.read(load.err));
        return load;
    }

    /** Ends the load's input (it may have died already). */
    static void endInput(SafetySupport.Child load) {
        try {
            load.process.getOutputStream().close();
        } catch (IOException brokenPipe) {
            // the load has ended
        }
    }

    /**
     * The load of {@code file} again, to its end: it lands once. Every transaction of the file is on exactly one
     * backend (counted on each and through the head), and the journal has one entry for the file, on every backend.
     */
    static void rerunLandsOnce(Path file, long first, String before) throws SQLException {
        Cli.Run again = run("load-csv", "--url", head(), "--table", "transactions", file.toString());
        assertTrue(again.out().contains("loaded " + ROWS + " rows"), again::toString);
        String range = " WHERE transaction_id BETWEEN " + first + " AND " + (first + ROWS - 1);
        long sum = 0;
        for (String backend : BACKENDS) {
            long here = SpiderTest.count(cluster.url(backend), "SELECT COUNT(*) FROM fact_transaction" + range);
            assertTrue(here > 0, "no transaction of the load on backend " + backend);
            sum += here;
            assertEquals(1, SpiderTest.count(cluster.url(backend), "SELECT COUNT(*) FROM load_journal WHERE file_name"
                    + " = '" + file + "'"), "journal entries of " + file + " on backend " + backend);
            assertEquals(List.of(), prepared(backend), "prepared XA branches on backend " + backend);
        }
        assertEquals(ROWS, sum, "the load's transactions over the backends; before: " + before);
        assertEquals(ROWS, SpiderTest.count(head(), "SELECT COUNT(*) FROM fact_transaction" + range));
        assertEquals(1, SpiderTest.count(head(), "SELECT COUNT(*) FROM load_journal WHERE file_name = '" + file + "'"));
    }

    @Test
    @Order(1)
    void ispdbKilledMidLoadLeavesNothingOnAnyBackend() throws Exception {
        long first = 1_000_000;
        Path file = transactions("killed-ispdb.csv", first);
        String before = state(BACKENDS);
        SafetySupport.Child load = loadMidWay(first, "1");
        load.kill();
        endInput(load);
        awaitRolledBack(BACKENDS);
        System.out.println("SpiderAtomicityTest: ispdb killed mid-load; the head's spider_xa: " + spiderXa());
        assertEquals(before, state(BACKENDS), "what the killed load left");
        rerunLandsOnce(file, first, before);
    }

    @Test
    @Order(2)
    void aBackendKilledMidLoadFailsTheLoadAndLeavesNothingOnTheOthers() throws Exception {
        long first = 2_000_000;
        Path file = transactions("killed-backend.csv", first);
        String before = state(BACKENDS);
        String beforeOthers = state(List.of("1", "3"));
        SafetySupport.Child load = loadMidWay(first, "2");
        cluster.control("kill", "2");
        endInput(load);
        Cli.Run failed = failedInOneSentence(load);
        nothingLeftByTheKill("2", before, beforeOthers);
        System.out.println("SpiderAtomicityTest: backend 2 killed mid-load: " + failed.err().strip()
                + "; the head's spider_xa: " + spiderXa());
        rerunLandsOnce(file, first, before);
    }

    /**
     * The head commits a load spanning the backends as Spider's XA transaction: XA PREPARE on each backend in turn,
     * then XA COMMIT on each. Backend 3's commits are held (BACKUP STAGE BLOCK_COMMIT, which, unlike FLUSH TABLES WITH
     * READ LOCK, lets the load's writes through and stops only its commit), so the head's COMMIT waits on backend 3's
     * XA PREPARE with backends 1 and 2 prepared; then backend 3 is killed.
     */
    @Test
    @Order(3)
    void aBackendKilledWhileTheCommitWaitsOnItLeavesNothingAnywhere() throws Exception {
        long first = 3_000_000;
        Path file = transactions("killed-at-commit.csv", first);
        String before = state(BACKENDS);
        String beforeOthers = state(List.of("1", "2"));
        Connection lock = DriverManager.getConnection(cluster.url("3"));
        SafetySupport.Child load;
        try {
            load = loadWaitingOnBackend3(lock, file);
            cluster.control("kill", "3");
        } finally {
            closeQuietly(lock); // its connection died with backend 3
        }
        Cli.Run failed = failedInOneSentence(load);
        nothingLeftByTheKill("3", before, beforeOthers);
        List<String> leftover = spiderXa();
        System.out.println("SpiderAtomicityTest: backend 3 killed during the commit: " + failed.err().strip()
                + "; the head's spider_xa: " + leftover);
        assertFalse(leftover.stream().anyMatch(x -> x.endsWith(" COMMIT")), "a decided commit left: " + leftover);
        // the head's record of the transaction is left (no backend has a branch of it): the hand procedure deletes it
        SpiderTest.execute(head(), "DELETE m FROM mysql.spider_xa_member m JOIN mysql.spider_xa x ON x.format_id ="
                + " m.format_id AND x.gtrid_length = m.gtrid_length AND x.data = m.data WHERE x.status = 'NOT YET'");
        SpiderTest.execute(head(), "DELETE FROM mysql.spider_xa WHERE status = 'NOT YET'");
        rerunLandsOnce(file, first, before);
    }

    /**
     * The head killed while its COMMIT waits on backend 3 (as above): nobody is left to end the branches that
     * backends 1 and 2 prepared. They stay prepared, through the head's restart, holding their rows' locks (a rerun
     * would wait for them, and fail at the lock timeout); their rows are not committed. The head had not decided to
     * commit, so the hand procedure of docs/sharding.md rolls them back: then nothing of the load is anywhere, and the
     * rerun lands once.
     */
    @Test
    @Order(4)
    void theHeadKilledWhileTheCommitWaitsLeavesPreparedBranchesToRollBackByHand() throws Exception {
        long first = 4_000_000;
        Path file = transactions("killed-head.csv", first);
        String before = state(BACKENDS);
        Connection lock = DriverManager.getConnection(cluster.url("3"));
        try {
            SafetySupport.Child load = loadWaitingOnBackend3(lock, file);
            cluster.control("kill", "head");
            failedInOneSentence(load);
            try (Statement s = lock.createStatement()) {
                s.execute("BACKUP STAGE END");
            }
        } finally {
            closeQuietly(lock);
        }
        cluster.control("start-node", "head");
        List<String> xid = prepared("1");
        assertEquals(1, xid.size(), "backend 1's prepared branches");
        assertEquals(xid, prepared("2"), "backend 2's prepared branches");
        // backend 3's XA PREPARE, waiting when the head died, ran or not when its commits were let through
        List<String> on3 = prepared("3");
        assertTrue(on3.isEmpty() || on3.equals(xid), "backend 3's prepared branches: " + on3);
        List<String> onHead = prepared("head");
        List<String> leftover = spiderXa();
        System.out.println("SpiderAtomicityTest: the head killed during the commit; prepared on backends 1 and 2: "
                + xid + ", on 3: " + on3 + "; on the head: " + onHead + "; the head's spider_xa: " + leftover);
        assertFalse(leftover.stream().anyMatch(x -> x.endsWith(" COMMIT")), "a decided commit left: " + leftover);
        // the hand procedure: no backend committed the load, so it rolls back on each backend and on the head
        for (String backend : BACKENDS) {
            for (String branch : prepared(backend)) {
                SpiderTest.execute(cluster.url(backend), "XA ROLLBACK " + branch);
            }
        }
        for (String branch : onHead) {
            SpiderTest.execute(head(), "XA ROLLBACK " + branch);
        }
        assertEquals(List.of(), spiderXa(), "the head's spider_xa after the hand procedure");
        assertEquals(before, state(BACKENDS), "what the load left, rolled back by hand");
        rerunLandsOnce(file, first, before);
    }

    /**
     * Holds backend 3's commits (BACKUP STAGE BLOCK_COMMIT on {@code lock}), starts the load of {@code file}, and
     * returns once the head's COMMIT waits on backend 3's XA PREPARE, with backends 1 and 2 prepared.
     */
    static SafetySupport.Child loadWaitingOnBackend3(Connection lock, Path file) throws Exception {
        try (Statement s = lock.createStatement()) {
            s.execute("BACKUP STAGE START");
            s.execute("BACKUP STAGE BLOCK_COMMIT");
        }
        SafetySupport.Child load = SafetySupport.start(tmp, "load-csv", "--url", head(), "--table", "transactions",
                file.toString());
        boolean waiting = false;
        for (int i = 0; i < 1200 && load.isAlive() && !waiting; i++) {
            waiting = SpiderTest.count(cluster.url("3"), "SELECT COUNT(*) FROM information_schema.processlist"
                    + " WHERE state = 'Waiting for backup lock' AND info LIKE 'xa prepare%'") > 0;
            if (!waiting) {
                Thread.sleep(50);
            }
        }
        assertTrue(waiting, () -> "the load's commit never waited on backend 3: " + SafetySupport.read(load.err));
        assertEquals(List.of("COMMIT"), SpiderTest.column(head(), "SELECT info FROM information_schema.processlist"
                + " WHERE db = 'test' AND info = 'COMMIT'"), "the head's session is committing");
        List<String> prepared = new ArrayList<>();
        for (String backend : List.of("1", "2")) {
            prepared.add(backend + ": " + prepared(backend));
            assertEquals(1, prepared(backend).size(), "backend " + backend + " has prepared its branch");
        }
        System.out.println("SpiderAtomicityTest: the commit waits on backend 3; prepared: " + prepared
                + "; the head's spider_xa: " + spiderXa());
        return load;
    }

    /** The load ended as a failed load does: exit code 3, one sentence, no stack trace, nothing loaded. */
    static Cli.Run failedInOneSentence(SafetySupport.Child load) {
        Cli.Run failed = load.await();
        assertEquals(3, failed.exitCode(), failed::toString);
        Cli.assertNoStackTrace(failed);
        assertEquals(1, failed.err().strip().lines().count(), failed::toString);
        assertTrue(failed.err().contains("(nothing was loaded)"), failed::toString);
        return failed;
    }

    /**
     * After a backend was killed under a load: the other backends rolled their branches back and are as they were
     * ({@code beforeOthers}); with the killed one started again, every backend is as it was ({@code before}).
     */
    static void nothingLeftByTheKill(String killed, String before, String beforeOthers) throws Exception {
        List<String> others = BACKENDS.stream().filter(b -> !b.equals(killed)).toList();
        awaitRolledBack(others);
        assertEquals(beforeOthers, state(others), "what the failed load left on the other backends");
        cluster.control("start-node", killed);
        assertEquals(before, state(BACKENDS), "what the failed load left, backend " + killed + " restarted");
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException gone) {
            // its server was killed
        }
    }
}
