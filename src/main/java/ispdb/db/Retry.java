package ispdb.db;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs a write again after a failure that another attempt may get past: the connection was lost (a cluster node
 * died, a PostgreSQL primary stopped), no server of a multi-host URL could take it yet (a standby not yet
 * promoted), or the database ended the transaction for a conflict (Galera's certification failure, which it
 * reports as deadlock 1213; a deadlock; a serialization failure). Such a failure can come after the commit
 * reached the database, so before it writes again every attempt first asks whether an earlier one committed
 * (the {@code committed} lookup): each write lands exactly once.
 *
 * <p>The attempts go on for 30 s after the first failure (the system property {@code ispdb.retryMillis} changes that), with waits of
 * 0.5, 1, 2, 4 and then 8 s between them. An attempt that worked for longer than those 30 s before it failed (it
 * waited for a row lock, or wrote a large file) meets a new incident, and its failure starts the 30 s afresh; at
 * most {@value #MAX_ATTEMPTS} attempts are made in all. Each attempt opens the database afresh, so a multi-host URL
 * finds the server that is up now.
 */
public final class Retry {
    private static final Logger LOG = LogManager.getLogger(Retry.class);
    static final long BUDGET_MILLIS = Long.getLong("ispdb.retryMillis", 30_000);
    static final int MAX_ATTEMPTS = 10;

    /** One attempt on an open database. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(Database db);
    }

    /** What an earlier attempt committed, if it did (looked up on an open database). */
    @FunctionalInterface
    public interface Committed<T> {
        Optional<T> find(Database db);
    }

    private Retry() {
    }

    /**
     * The result of the first attempt that succeeds, or of an earlier attempt that {@code committed} finds.
     * A failure that no attempt gets past (or one not worth another attempt) is thrown as it is; {@code
     * replayable} false (the input was standard input, read once) allows only the lookup after a failure.
     */
    public static <T> T exactlyOnce(Supplier<Database> open, Attempt<T> attempt, Committed<T> committed,
            boolean replayable) {
        return exactlyOnce(open, attempt, committed, replayable, BUDGET_MILLIS);
    }

    static <T> T exactlyOnce(Supplier<Database> open, Attempt<T> attempt, Committed<T> committed,
            boolean replayable, long budgetMillis) {
        long firstFailure = 0;
        long wait = 500;
        IspdbException failure = null;
        for (int n = 1; ; n++) {
            boolean checkedOnly = false;
            long attemptStart = System.nanoTime();
            try (Database db = open.get()) {
                if (failure != null) {
                    Optional<T> earlier = committed.find(db);
                    if (earlier.isPresent()) {
                        LOG.info("attempt {}: the earlier attempt had committed; nothing is written again", n);
                        return earlier.get();
                    }
                    checkedOnly = !replayable;
                }
                if (!checkedOnly) {
                    return attempt.run(db);
                }
            } catch (IspdbException e) {
                if (e.exitCode() != ExitCodes.DATABASE || !worthRetrying(e)) {
                    throw e;
                }
                long now = System.nanoTime();
                if (failure == null || (now - attemptStart) / 1_000_000 > budgetMillis) {
                    firstFailure = now; // the first failure, or one after a long attempt: a new incident
                    wait = 500;
                }
                failure = e;
                long elapsed = (now - firstFailure) / 1_000_000;
                if (elapsed + wait > budgetMillis || n >= MAX_ATTEMPTS) {
                    throw new IspdbException(ExitCodes.DATABASE, e.getMessage() + " (ispdb tried " + n
                            + (n == 1 ? " time" : " times") + ", for " + Math.round(elapsed / 1000.0)
                            + " s after the first failure)", e);
                }
                LOG.warn("attempt {} failed, trying again in {} ms: {}", n, wait, e.getMessage());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = Math.min(wait * 2, 8_000);
                continue;
            }
            // the input cannot be read again, and the failed attempt did not commit
            throw failure;
        }
    }

    /**
     * Whether another attempt may succeed: a lost or refused connection (SQLState class 08, or the driver's
     * connection exceptions), a node not ready (MariaDB 1047, WSREP has not yet prepared node for application
     * use), a server shutting down or starting (57P01-57P03), a server with all its connections taken (PostgreSQL's
     * "too many clients already", 53300; MariaDB's "Too many connections", 1040, is class 08), a deadlock or
     * certification conflict (40001, 40P01, MariaDB 1213). Not a read-only server (25006): a URL that leads a write to a standby is the user's to fix.
     */
    public static boolean worthRetrying(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                int code = s.getErrorCode();
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300") || code == 1047
                        || code == 1927) {
                    return true;
                }
            }
        }
        return isConflict(e);
    }

    /**
     * Whether the database ended the transaction for a conflict with another one (a deadlock, a serialization
     * failure, Galera's certification failure: SQLState 40001, 40P01, MariaDB 1213): then it did not commit.
     */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                if (state.equals("40001") || state.equals("40P01") || s.getErrorCode() == 1213) {
                    return true;
                }
            }
        }
        return false;
    }
}
