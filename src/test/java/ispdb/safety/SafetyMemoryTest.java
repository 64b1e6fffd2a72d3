package ispdb.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads stream: a 200,000-row load into SQLite succeeds in a child JVM whose heap is 48 MB, which holding the
 * rows (or their text) would exceed. (How memory stays flat as inputs grow is measured by the benchmark.)
 */
class SafetyMemoryTest {
    static final int CUSTOMERS = 5000;
    static final int ROWS = 200_000;

    @TempDir
    Path tmp;

    @Test
    void a200kRowLoadFitsIn48MegabytesOfHeap() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp)) {
            SafetySupport.prepare(db, tmp, CUSTOMERS);
            Path file = SafetySupport.transactions(tmp, "transactions.csv", 1, ROWS, CUSTOMERS);
            Cli.Run r = SafetySupport.start(tmp, List.of("-Xmx48m"), "load-csv", "--url", db.url(),
                    "--table", "transactions", file.toString()).await();
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().startsWith("loaded " + ROWS + " rows into fact_transaction in "), r::toString);
            assertEquals(ROWS, db.count("SELECT COUNT(*) FROM fact_transaction"));
        }
    }
}
