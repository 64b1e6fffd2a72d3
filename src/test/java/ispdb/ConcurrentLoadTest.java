package ispdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two loads of the same keys at once, on each database: the first commits, the second is told in one sentence
 * that names a key (exit code 1, nothing of it loaded), as when it finds the keys there at its start.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.TestDatabase#kinds")
class ConcurrentLoadTest extends LoadCsvTestBase {
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
            Thread.sleep(3000); // the first load has sent its batches (SQLite: it holds the write lock)
            String same = csv("same-keys.csv", TRANSACTION_COLUMNS.replace(" ", "") + "\n"
                    + "3,0,0,2024-01-01,1\n4,1,1,2024-01-01,1\n900001,2,2,2024-01-01,1\n");
            second = CompletableFuture.supplyAsync(() -> load("--table", "transactions", same));
            Thread.sleep(2000); // the second load is waiting for the first one's keys (or, on SQLite, its lock)
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
        if (sqlite()) {
            // SQLite: the second load waited for the write lock, then found the keys at its start
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
}
