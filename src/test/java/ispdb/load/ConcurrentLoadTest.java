package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two loads of the same keys at once, on each database: the first commits, the second is told in one sentence
 * that names a key (exit code 1, nothing of it loaded), as when it finds the keys there at its start. And eight
 * loads of the same predictions file at once (which has no keys): exactly one lands, the others say so. And four
 * loads of transactions with keys of their own at once: all land.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
public class ConcurrentLoadTest extends LoadCsvTestBase {
    static final int FIRST_ROWS = 5000;

    @BeforeEach
    void freshDatabase() {
        initSchema();
        seed();
    }

    @Test
    void theSecondOfTwoLoadsOfTheSameKeysIsRejectedNamingAKey() throws Exception {
        // the first load reads from a pipe the test holds open: its transaction stays open, its rows written
        SafetySupport.Child first = SafetySupport.start(tmp, List.of(), true,
                "load-csv", "--url", db.url(), "--table", "transactions", "-");
        CompletableFuture<Cli.Run> second;
        try (OutputStream in = first.process.getOutputStream()) {
            StringBuilder rows = new StringBuilder(TRANSACTION_COLUMNS.replace(" ", "") + "\n");
            for (int i = 1; i <= FIRST_ROWS; i++) {
                rows.append(i).append(',').append(i % 5).append(',').append(i % 5).append(",2023-01-01,").append(i)
                        .append('\n');
            }
            in.write(rows.toString().getBytes(StandardCharsets.UTF_8));
            in.flush();
            // the first load has sent its batches (SQLite: it holds the write lock), seen from outside
            assertTrue(awaitKeysHeld(first), () -> "the first load never held its keys: "
                    + SafetySupport.read(first.err));
            String same = csv("same-keys.csv", TRANSACTION_COLUMNS.replace(" ", "") + "\n"
                    + "3,0,0,2024-01-01,1\n4,1,1,2024-01-01,1\n900001,2,2,2024-01-01,1\n");
            second = CompletableFuture.supplyAsync(() -> load("--table", "transactions", same));
            // the second load is waiting for the first one's keys (or, on SQLite, its lock)
            awaitWaitingForALock(second);
            assertTrue(!second.isDone(), () -> "the second load did not wait: " + second.join());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Cli.Run firstRun = first.await();
        assertEquals(0, firstRun.exitCode(), firstRun::toString);
        Cli.Run secondRun = second.get(120, TimeUnit.SECONDS);
        assertEquals(1, secondRun.exitCode(), secondRun::toString);
        assertEquals("", secondRun.out(), secondRun::toString);
        Cli.assertNoStackTrace(secondRun);
        String f = files.resolve("same-keys.csv").toString();
        if (sqlite() || kind == TestDatabase.Kind.SPIDER) {
            // SQLite: the second load waited for the write lock, then found the keys at its start; a Spider head
            // likewise: loads through a head run one at a time, for the backends' keys cannot see that transaction_id
            // 3 of customer 0 and of customer 3, on two backends, is one key (Database.loadSession)
            assertTrue(secondRun.err().startsWith(f + ":2: transaction_id: 3 is already in fact_transaction"),
                    secondRun::toString);
        } else {
            assertEquals("ispdb: " + f + ": transaction_id 3 (and 1 more of this file's keys) was written to "
                    + "fact_transaction by another program while this load ran; nothing was loaded (load again: "
                    + "--mode skip-existing keeps those rows, --mode upsert replaces them)\n", secondRun.err());
        }
        assertEquals(FIRST_ROWS, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM fact_transaction WHERE transaction_id = 900001"));
    }

    /**
     * Waits until the first load holds the keys it was given, in its open transaction: on SQLite it holds the write
     * lock; on a server an insert of key 3 by another session has to wait for the first load's (PostgreSQL's load
     * streams its rows with COPY, which the server buffers before they reach the table); on a Spider head a read
     * of uncommitted rows through the head finds its key 3 (an insert through the head would wait for the backend's
     * lock wait timeout, which the head's session does not set). Whether it does.
     */
    private boolean awaitKeysHeld(SafetySupport.Child first) throws Exception {
        if (sqlite()) {
            return SafetySupport.awaitWriting(db, "fact_transaction", first,
                    SafetySupport.CHILD_TIMEOUT_SECONDS * 1000);
        }
        long end = System.nanoTime() + SafetySupport.CHILD_TIMEOUT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end && first.isAlive()) {
            if (kind == TestDatabase.Kind.SPIDER ? keyThreeWritten() : keyThreeLocked()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** On a Spider head: whether a read of uncommitted rows (the head passes its isolation level on) finds key 3. */
    private boolean keyThreeWritten() throws java.sql.SQLException {
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM fact_transaction WHERE transaction_id = 3")) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    /** On a server: whether an insert of key 3 (rolled back) has to wait for another transaction's. */
    private boolean keyThreeLocked() throws java.sql.SQLException {
        boolean postgres = kind == TestDatabase.Kind.POSTGRESQL;
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute(postgres ? "SET LOCAL lock_timeout = '200ms'" : "SET SESSION innodb_lock_wait_timeout = 1");
                s.executeUpdate("INSERT INTO fact_transaction (" + TRANSACTION_COLUMNS + ") "
                        + "VALUES (3, 3, 3, '2023-01-01', 3)");
                return false;
            } catch (java.sql.SQLException e) {
                // PostgreSQL's lock_not_available, MariaDB's ER_LOCK_WAIT_TIMEOUT
                if (postgres ? !"55P03".equals(e.getSQLState()) : e.getErrorCode() != 1205) {
                    throw e;
                }
                return true;
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * Waits until the second load waits for a lock: on PostgreSQL until its session is seen waiting for one (up to
     * two minutes); on SQLite (a load waiting for the write lock is not seen from outside) and MariaDB, two seconds.
     */
    private void awaitWaitingForALock(CompletableFuture<Cli.Run> second) throws Exception {
        if (kind != TestDatabase.Kind.POSTGRESQL) {
            Thread.sleep(2000);
            return;
        }
        long end = System.nanoTime() + SafetySupport.CHILD_TIMEOUT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end && !second.isDone() && db.count("SELECT COUNT(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0) {
            Thread.sleep(20);
        }
    }

    /**
     * Four loads of transactions with keys of their own, for the same customers, payment methods and months, started
     * together (the real command line, on threads of this JVM): each lands, and the purchase summaries and monthly
     * revenue they keep add up to the four files' transactions. Through a Spider head the four used to wait on each
     * other's locks across backends, which no backend sees as a deadlock, until the backends' lock wait timeout:
     * three of four failed after two minutes (exit code 3); loads through a head now run one at a time. On one
     * MariaDB server some failed with a deadlock (each read the summaries' transactions with locks, in REPEATABLE
     * READ, and waited for another's rows), on PostgreSQL with a duplicate key of the summaries or months (both
     * inserted one customer's row), told as "another program wrote the same keys": now each locks the rows it makes
     * again, in key order, before it reads their transactions, and reads what the others committed.
     */
    @Test
    void fourLoadsOfTransactionsWithKeysOfTheirOwnAtOnceAllLand() throws Exception {
        int loads = 4;
        int rows = 2000;
        List<String> inputs = new ArrayList<>();
        for (int k = 0; k < loads; k++) {
            StringBuilder text = new StringBuilder(TRANSACTION_COLUMNS.replace(" ", "") + "\n");
            for (int i = 0; i < rows; i++) {
                text.append(k * 100_000 + i + 1).append(',').append(i % 5).append(',').append(i % 5).append(",2023-0")
                        .append(1 + i % 9).append("-01,").append(i + 1).append('\n');
            }
            inputs.add(csv("own-keys-" + k + ".csv", text.toString()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(loads);
        List<Cli.Run> runs = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(loads);
            List<Future<Cli.Run>> jobs = new ArrayList<>();
            for (String input : inputs) {
                jobs.add(pool.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    return load("--table", "transactions", input);
                }));
            }
            for (Future<Cli.Run> job : jobs) {
                runs.add(job.get(180, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        for (Cli.Run r : runs) {
            assertEquals(0, r.exitCode(), () -> runs.toString());
            assertTrue(r.out().startsWith("loaded " + rows + " rows into fact_transaction in "), r::toString);
        }
        long total = (long) loads * rows;
        long amount = loads * ((long) rows * (rows + 1) / 2);
        assertEquals(total, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(amount, db.count("SELECT SUM(amount) FROM fact_transaction"));
        assertEquals(loads, db.count("SELECT COUNT(*) FROM load_journal WHERE table_name = 'fact_transaction'"));
        assertEquals(5, db.count("SELECT COUNT(*) FROM customer_purchase_summary"), "5 customers");
        assertEquals(total, db.count("SELECT SUM(transactions) FROM customer_purchase_summary"));
        assertEquals(amount, db.count("SELECT SUM(total_amount) FROM customer_purchase_summary"));
        assertEquals(45, db.count("SELECT COUNT(*) FROM monthly_revenue"), "9 months, 5 payment methods");
        assertEquals(amount, db.count("SELECT SUM(revenue) FROM monthly_revenue"));
    }

    public static final int JOBS = 8;
    public static final int ROUNDS = 20;
    public static final int PREDICTIONS = 40;

    /**
     * Eight jobs load the same predictions file at once (the real command line, on threads of this JVM, released
     * together), for 20 rounds of a new file each: record-prediction --file in even rounds, load-csv --table
     * predictions in odd ones, and one job of each round reads a gzip of the same text. Exactly one job of a round
     * lands its predictions; each of the other seven exits 1 with the one sentence that says the file was loaded,
     * by a concurrent job (or, if it started after that job had committed, before), and writes nothing.
     */
    @Test
    void ofEightLoadsOfTheSamePredictionsFileAtOnceExactlyOneLands() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(JOBS);
        int concurrent = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String tag = "Round" + round;
                String file = SafetySupport.predictions(files, "same-" + round + ".csv", PREDICTIONS, 5, tag).toString();
                String gzip = csv("same-" + round + ".csv.gz", gzip(java.nio.file.Files.readAllBytes(Path.of(file))));
                boolean record = round % 2 == 0;
                CyclicBarrier start = new CyclicBarrier(JOBS);
                List<Future<Cli.Run>> jobs = new ArrayList<>();
                for (int j = 0; j < JOBS; j++) {
                    String input = j == JOBS - 1 ? gzip : file;
                    String[] args = record
                            ? new String[] {"record-prediction", "--url", db.url(), "--file", input}
                            : new String[] {"load-csv", "--url", db.url(), "--table", "predictions", input};
                    jobs.add(pool.submit(() -> {
                        start.await(60, TimeUnit.SECONDS);
                        return cli.run(args);
                    }));
                }
                List<Cli.Run> runs = new ArrayList<>();
                for (Future<Cli.Run> job : jobs) {
                    runs.add(job.get(120, TimeUnit.SECONDS));
                }
                List<Cli.Run> landed = runs.stream().filter(r -> r.exitCode() == 0).toList();
                assertEquals(1, landed.size(), () -> "round " + tag + ": " + runs);
                assertTrue(landed.get(0).out().startsWith(record ? "recorded " + PREDICTIONS + " predictions in "
                        : "loaded " + PREDICTIONS + " rows into clv_prediction in "), landed.get(0)::toString);
                for (int j = 0; j < JOBS; j++) {
                    Cli.Run r = runs.get(j);
                    if (r.exitCode() == 0) {
                        continue;
                    }
                    concurrent += refusedAsLoaded(j == JOBS - 1 ? gzip : file, PREDICTIONS, r) ? 1 : 0;
                }
                assertEquals(PREDICTIONS, db.count("SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = '"
                        + tag + "'"), tag);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals((long) ROUNDS * PREDICTIONS, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(ROUNDS, db.count("SELECT COUNT(*) FROM load_journal WHERE table_name = 'clv_prediction'"));
        assertEquals(ROUNDS, db.count("SELECT COUNT(DISTINCT sha256) FROM load_journal"));
        assertEquals(ROUNDS, db.count("SELECT COUNT(*) FROM load_claim"));
        System.err.println("ConcurrentLoadTest (" + kind + "): " + concurrent + " of " + ROUNDS * (JOBS - 1)
                + " refused jobs were told of a concurrent job, the others of a load before theirs started");
    }

    /**
     * Asserts that a load of {@code input} was refused (exit code 1, nothing on standard output) with the one
     * sentence that says the file was loaded by a concurrent job (true) or, if that job had committed before this
     * one started, before (false).
     */
    public static boolean refusedAsLoaded(String input, int rows, Cli.Run r) {
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        Cli.assertNoStackTrace(r);
        String sentence = "ispdb: " + Pattern.quote(input) + ": the same file \\(sha256 [0-9a-f]{12}\\.\\.\\.\\) "
                + "was loaded into clv_prediction ";
        String advice = "nothing was loaded \\(to load it again all the same, add --again; 'ispdb history' "
                + "lists the loads\\)\\n";
        boolean byAConcurrentJob = r.err().matches(sentence + "by a concurrent job while this one ran"
                + "( \\(load \\d+ by (record-prediction|load-csv), " + rows + " rows from [^)]*\\))?, so " + advice);
        assertTrue(byAConcurrentJob || r.err().matches(sentence + "before, at .*; loading it again would add "
                + "every prediction a second time, so " + advice), r::toString);
        return byAConcurrentJob;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
