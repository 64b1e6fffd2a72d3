package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retry: which failures another attempt may get past, and that a commit whose answer was lost is not repeated. */
class RetryTest {
    @TempDir
    Path tmp;

    Supplier<Database> sqlite() {
        return () -> Database.open(new Database.Settings("jdbc:sqlite:" + tmp.resolve("x.sqlite"), null, null, 1000),
                true);
    }

    static IspdbException failed(SQLException cause) {
        return new IspdbException(ExitCodes.DATABASE, "could not record the prediction", cause);
    }

    @Test
    void failuresWorthAnotherAttempt() {
        assertTrue(Retry.worthRetrying(failed(new SQLException("Deadlock found when trying to get lock", "40001", 1213))));
        assertTrue(Retry.worthRetrying(failed(new SQLException("WSREP has not yet prepared node", "08S01", 1047))));
        assertTrue(Retry.worthRetrying(failed(new SQLException("An I/O error occurred", "08006"))));
        assertTrue(Retry.worthRetrying(failed(new SQLException("terminating connection due to administrator command",
                "57P01"))));
        assertTrue(Retry.worthRetrying(failed(new SQLNonTransientConnectionException("Connection refused"))));
        assertTrue(Retry.worthRetrying(failed(new SQLException("sorry, too many clients already", "53300"))));
        assertTrue(Retry.worthRetrying(failed(new SQLException("Too many connections", "08004", 1040))));
        assertFalse(Retry.worthRetrying(failed(new SQLException("duplicate key", "23505"))));
        assertFalse(Retry.worthRetrying(failed(new SQLException("read-only transaction", "25006"))));
        assertFalse(Retry.worthRetrying(failed(new SQLException("Access denied", "28000", 1045))));
    }

    /** The first attempt commits and then loses its answer (a deadlock report, say): the second finds the commit. */
    @Test
    void anAttemptWhoseCommitWasLostIsNotWrittenAgain() {
        List<String> written = new ArrayList<>();
        int[] attempts = {0};
        String result = Retry.exactlyOnce(sqlite(), db -> {
            attempts[0]++;
            written.add("prediction");
            if (attempts[0] == 1) {
                throw failed(new SQLException("Deadlock found when trying to get lock", "40001", 1213));
            }
            return "written again";
        }, db -> written.isEmpty() ? Optional.empty() : Optional.of("found the earlier commit"), true);
        assertEquals("found the earlier commit", result);
        assertEquals(1, attempts[0]);
        assertEquals(1, written.size());
    }

    @Test
    void anAttemptThatDidNotCommitIsMadeAgain() {
        int[] attempts = {0};
        String result = Retry.exactlyOnce(sqlite(), db -> {
            if (++attempts[0] == 1) {
                throw failed(new SQLNonTransientConnectionException("socket closed", "08000"));
            }
            return "written";
        }, db -> Optional.empty(), true);
        assertEquals("written", result);
        assertEquals(2, attempts[0]);
    }

    /**
     * An attempt that worked for longer than the budget before it failed (it waited for a row lock) meets a new
     * incident: another attempt is made, though the first failure is longer ago than the budget.
     */
    @Test
    void aLongAttemptThatFailsStartsTheBudgetAfresh() {
        int[] attempts = {0};
        String result = Retry.exactlyOnce(sqlite(), db -> {
            attempts[0]++;
            if (attempts[0] == 1) {
                throw failed(new SQLException("Deadlock found when trying to get lock", "40001", 1213));
            }
            if (attempts[0] == 2) {
                try {
                    Thread.sleep(1_200); // waits for a lock, longer than the whole budget
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw failed(new SQLNonTransientConnectionException("the node died", "08000"));
            }
            return "written";
        }, db -> Optional.empty(), true, 1_000);
        assertEquals("written", result);
        assertEquals(3, attempts[0]);
    }

    /** Quick failures one after another: the budget counts from the first, and then the failure stands. */
    @Test
    void quickFailuresGiveUpWhenTheBudgetIsSpent() {
        int[] attempts = {0};
        IspdbException e = assertThrows(IspdbException.class, () -> Retry.exactlyOnce(sqlite(), db -> {
            attempts[0]++;
            throw failed(new SQLNonTransientConnectionException("Connection refused", "08001"));
        }, db -> Optional.empty(), true, 1_000));
        assertEquals(2, attempts[0]); // 0.5 s, then 0.5 + 1 s would pass the 1 s budget
        assertTrue(e.getMessage().contains("tried 2 times"), e.getMessage());
        assertEquals(ExitCodes.DATABASE, e.exitCode());
    }

    /** Standard input cannot be read twice: after a failure only the lookup runs, and the failure stands. */
    @Test
    void anInputThatCannotBeReadAgainIsOnlyLookedFor() {
        IspdbException first = failed(new SQLNonTransientConnectionException("socket closed", "08000"));
        int[] attempts = {0};
        IspdbException thrown = assertThrows(IspdbException.class, () -> Retry.exactlyOnce(sqlite(), db -> {
            attempts[0]++;
            throw first;
        }, db -> Optional.empty(), false));
        assertSame(first, thrown);
        assertEquals(1, attempts[0]);
    }

    @Test
    void aFailureNotWorthRetryingIsThrownAtOnce() {
        IspdbException rejected = IspdbException.rejected("unknown customer 42");
        int[] attempts = {0};
        assertSame(rejected, assertThrows(IspdbException.class, () -> Retry.exactlyOnce(sqlite(), db -> {
            attempts[0]++;
            throw rejected;
        }, db -> Optional.of("never asked"), true)));
        assertEquals(1, attempts[0]);
    }
}
