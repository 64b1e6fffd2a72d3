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
 * BLOCK_COMMIT, after the other backends have prepared their XA branches). Each test leaves every backend running.
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

    /** A backend's prepared XA branches (XA RECOVER), as their xids' data. */
    static List<String> prepared(String backend) throws SQLException {
        List<String> xids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(cluster.url(backend)); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("XA RECOVER")) {
            while (rs.next()) {
                xids.add(rs.getString("data").replace("\0", ""));
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
        List<String> others = List.of("1", "3");
        String before = state(BACKENDS);
        String beforeOthers = state(others);
        SafetySupport.Child load = loadMidWay(first, "2");
        cluster.control("kill", "2");
        endInput(load);
        Cli.Run failed = load.await();
        assertEquals(3, failed.exitCode(), failed::toString);
        Cli.assertNoStackTrace(failed);
        assertEquals(1, failed.err().strip().lines().count(), failed::toString);
        assertTrue(failed.err().contains("(nothing was loaded)"), failed::toString);
        awaitRolledBack(others);
        assertEquals(beforeOthers, state(others), "what the failed load left on the other backends");
        cluster.control("start-node", "2");
        System.out.println("SpiderAtomicityTest: backend 2 killed mid-load: " + failed.err().strip()
                + "; the head's spider_xa: " + spiderXa());
        assertEquals(before, state(BACKENDS), "what the failed load left, backend 2 restarted");
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
        List<String> others = List.of("1", "2");
        String before = state(BACKENDS);
        String beforeOthers = state(others);
        Connection lock = DriverManager.getConnection(cluster.url("3"));
        SafetySupport.Child load = null;
        List<String> preparedMeanwhile = new ArrayList<>();
        try (Statement s = lock.createStatement()) {
            s.execute("BACKUP STAGE START");
            s.execute("BACKUP STAGE BLOCK_COMMIT");
            load = SafetySupport.start(tmp, "load-csv", "--url", head(), "--table", "transactions", file.toString());
            boolean stalled = false;
            for (int i = 0; i < 1200 && load.isAlive() && !stalled; i++) {
                stalled = SpiderTest.count(cluster.url("3"), "SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE state = 'Waiting for backup lock' AND info LIKE 'xa prepare%'") > 0;
                if (!stalled) {
                    Thread.sleep(50);
                }
            }
            SafetySupport.Child started = load;
            assertTrue(stalled, () -> "the load's commit never waited on backend 3: " + SafetySupport.read(started.err));
            assertEquals(List.of("COMMIT"), SpiderTest.column(head(), "SELECT info FROM information_schema.processlist"
                    + " WHERE db = 'test' AND info = 'COMMIT'"), "the head's session is committing");
            for (String backend : others) {
                preparedMeanwhile.add(backend + ": " + prepared(backend));
                assertEquals(1, prepared(backend).size(), "backend " + backend + " has prepared its branch");
            }
            System.out.println("SpiderAtomicityTest: the commit waits on backend 3; prepared: " + preparedMeanwhile
                    + "; the head's spider_xa: " + spiderXa());
            cluster.control("kill", "3");
        } catch (SQLException lost) {
            // the lock's connection died with backend 3
        } finally {
            try {
                lock.close();
            } catch (SQLException gone) {
                // as above
            }
        }
        assertTrue(load != null, "the load did not start");
        Cli.Run failed = load.await();
        assertEquals(3, failed.exitCode(), failed::toString);
        Cli.assertNoStackTrace(failed);
        assertEquals(1, failed.err().strip().lines().count(), failed::toString);
        assertTrue(failed.err().contains("(nothing was loaded)"), failed::toString);
        awaitRolledBack(others);
        assertEquals(beforeOthers, state(others), "what the failed commit left on the other backends");
        cluster.control("start-node", "3");
        List<String> leftover = spiderXa();
        System.out.println("SpiderAtomicityTest: backend 3 killed during the commit: " + failed.err().strip()
                + "; the head's spider_xa: " + leftover);
        assertEquals(before, state(BACKENDS), "what the failed commit left, backend 3 restarted");
        assertFalse(leftover.stream().anyMatch(x -> x.endsWith(" COMMIT")), "a decided commit left: " + leftover);
        rerunLandsOnce(file, first, before);
    }
}
