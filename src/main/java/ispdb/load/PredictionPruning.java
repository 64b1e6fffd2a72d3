package ispdb.load;

import ispdb.Interruption;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.LoadJournalMapper;
import ispdb.db.PredictionMapper;
import ispdb.db.Retry;
import ispdb.db.SessionSetup;
import ispdb.model.PredictionCount;
import ispdb.model.Table;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * prune-predictions: deletes old predictions, never a customer's latest, in batches of about {@value #BATCH_ROWS}
 * predictions (a range of customers), each its own short transaction, so that readers and the appends of
 * record-prediction and predict --record go on between them; then one load-journal entry with the count.
 *
 * <p>A signal between batches ends the run: the batches committed stay deleted (each leaves every customer's
 * predictions as the rule wants them), and no journal entry is written; a rerun finishes the work.
 */
public final class PredictionPruning {
    /**
     * The predictions a batch examines, at most (a customer's own are never split). Measured on SQLite (10,000,000
     * predictions): ten times 50,000 per batch, with the page cache of {@link SessionSetup.Setting#BEFORE_PRUNE},
     * deletes 2.6 times as many rows per CPU second (each batch's deletions touch most pages of the clv index, and
     * each touched page is written once per batch); a batch holds SQLite's write lock for a few seconds, well within
     * the busy timeout that appends wait.
     */
    public static final int BATCH_ROWS = 500_000;
    /** The batch size in use: {@link #BATCH_ROWS}, or a small one in the tests (many batches over a few rows). */
    static volatile int batchRows = BATCH_ROWS;
    /** A batch that conflicts with another node's writes (Galera) is tried again, this many times in all. */
    private static final int ATTEMPTS = 3;

    /**
     * What goes: a prediction that is not among its customer's {@code keep} latest (1 or more) and, if {@code before}
     * is not null, was made before it. {@code description}: the options, as the journal shows them.
     */
    public record Rule(int keep, LocalDateTime before, String description) {
        public Rule {
            if (keep < 1) {
                throw new IllegalArgumentException("a customer's latest prediction always stays: keep " + keep);
            }
        }
    }

    /** What a run deleted (or would delete), in how many batches and how long. */
    public record Result(PredictionCount deleted, long batches, double seconds) {
    }

    /** Told after each batch: the predictions deleted (or found) so far. */
    @FunctionalInterface
    public interface Progress {
        void batch(long deleted, long batches);
    }

    private PredictionPruning() {
    }

    /** Counts what {@link #prune} would delete now, and writes nothing. */
    public static Result dryRun(Database db, Rule rule, Progress progress) {
        return run(db, rule, progress, true, null);
    }

    /** Deletes what the rule says, batch by batch, and journals the count under {@code command}. */
    public static Result prune(Database db, Rule rule, Progress progress, String command) {
        return run(db, rule, progress, false, command);
    }

    private static Result run(Database db, Rule rule, Progress progress, boolean dryRun, String command) {
        db.useMappers(PredictionMapper.class, LoadJournalMapper.class);
        long t0 = System.nanoTime();
        LocalDateTime started = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        PredictionCount total = PredictionCount.NONE;
        long batches = 0;
        Long from = bound(db, m -> m.firstCustomerFrom(Long.MIN_VALUE));
        while (from != null) {
            long start = from;
            Long to = bound(db, m -> {
                Long after = m.customerAfter(start, batchRows);
                // one customer with more predictions than a batch: a batch of its own
                return after != null && after == start ? m.firstCustomerFrom(start + 1) : after;
            });
            PredictionCount batch = dryRun ? count(db, rule, start, to) : delete(db, rule, start, to, total);
            total = total.plus(batch);
            batches++;
            progress.batch(total.predictions(), batches);
            from = to;
        }
        if (!dryRun) {
            journal(db, rule, command, total.predictions(), started);
        }
        return new Result(total, batches, (System.nanoTime() - t0) / 1e9);
    }

    private static Long bound(Database db, java.util.function.Function<PredictionMapper, Long> query) {
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            return query.apply(session.getMapper(PredictionMapper.class));
        } catch (RuntimeException e) {
            throw db.failure("read the predictions' customers", e);
        }
    }

    private static PredictionCount count(Database db, Rule rule, long from, Long to) {
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            return session.getMapper(PredictionMapper.class).countPrunable(from, to, rule.keep() - 1, rule.before());
        } catch (RuntimeException e) {
            throw db.failure("count the predictions to delete", e);
        }
    }

    /** One batch in its own transaction; a conflict (Galera) is tried again. */
    private static PredictionCount delete(Database db, Rule rule, long from, Long to, PredictionCount before) {
        for (int attempt = 1;; attempt++) {
            try (SqlSession session = db.writeSession(ExecutorType.SIMPLE)) {
                SessionSetup.run(session, SessionSetup.Setting.BEFORE_PRUNE);
                int deleted = session.getMapper(PredictionMapper.class).prune(from, to, rule.keep() - 1,
                        rule.before());
                long sofar = before.predictions() + deleted;
                Interruption.commitPart(sofar + (sofar == 1 ? " prediction was" : " predictions were")
                        + " deleted (they stay deleted; no journal entry was written: run it again to finish)",
                        session::commit);
                return new PredictionCount(deleted, null, null);
            } catch (RuntimeException | SQLException e) {
                if (e instanceof IspdbException ie) {
                    throw ie;
                }
                if (attempt < ATTEMPTS && Retry.isConflict(e)) {
                    continue;
                }
                throw db.failure("delete predictions (" + before.predictions() + " deleted before stay deleted)", e);
            }
        }
    }

    private static void journal(Database db, Rule rule, String command, long deleted, LocalDateTime started) {
        String description = rule.description() + ": deleted " + deleted
                + (deleted == 1 ? " prediction" : " predictions");
        try (SqlSession session = db.writeSession(ExecutorType.SIMPLE)) {
            LoadJournal.recordRun(session, command, Table.PREDICTION, description, deleted, started);
            Interruption.commit(session::commit);
        } catch (RuntimeException | SQLException e) {
            if (e instanceof IspdbException ie) {
                throw ie;
            }
            throw db.failure("write the load journal's entry (the " + deleted + " predictions stay deleted)", e);
        }
    }
}
