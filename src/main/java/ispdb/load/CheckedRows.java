package ispdb.load;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One source's rows, read and checked on a thread of their own: the rows to load reach the writer in batches
 * through a bounded queue (a few batches ahead at most, so memory stays flat); bad rows are reported (or go to
 * the reject file) there, in line order, as before. Whatever stops the reading (a file that cannot be read as
 * CSV, a reject file that cannot be written) reaches the writer after the rows before it, and is thrown there, as
 * it would have been had one thread done both; a writer that fails stops the reading. The key sets the checks use
 * are all read before the thread starts ({@link RowChecker#forTable}): only the writer uses the connection. When the
 * rows' keys are probed ({@link RowChecker.TableChecker#probes}), the thread reads a chunk of rows, hands their keys
 * to the writer through the same queue (after the batches before them), waits for its lookup, then checks them.
 */
final class CheckedRows {
    private static final Logger LOG = LogManager.getLogger(Loader.class);
    private static final int BATCH_ROWS = RowSink.BATCH_ROWS;
    private static final Object[][] END = new Object[0][];
    /** Rows read before their keys are probed (one lookup by the writer). */
    private static final int PROBE_ROWS = 10_000;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    private final RowSource source;
    private final RowChecker.TableChecker rows;
    private final LoadProgress progress;
    /** Where bad rows go with {@link OnError#SKIP}, else null. */
    private final RejectFile rejects;
    /** Where bad rows go with {@link OnError#FAIL}. */
    private final BadRowReport bad;
    private final Thread thread;
    private volatile boolean stopped;
    private boolean ended;
    /** The batch being filled (on the reading thread). */
    private Object[][] batch = new Object[BATCH_ROWS][];
    private int size;
    /** Counts, read by the writer once the thread has ended. */
    long read;
    long loaded;
    long skipped;
    long rejected;

    /** Starts reading. */
    CheckedRows(RowSource source, RowChecker.TableChecker rows, LoadProgress progress, RejectFile rejects,
            BadRowReport bad) {
        this.source = source;
        this.rows = rows;
        this.progress = progress;
        this.rejects = rejects;
        this.bad = bad;
        this.thread = new Thread(this::run, "ispdb-check-" + source.table().tableName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Keys the writer is to look up (in the queue after the batches before them); done when it has. */
    private record Probe(long[] ids, CompletableFuture<Void> done) {
    }

    /**
     * The next batch of rows to write (a null row ends a short batch), or null after the last; probes of keys met on
     * the way are answered here, on the writer's thread.
     */
    Object[][] nextBatch() throws IOException, SQLException {
        if (ended) {
            return null;
        }
        Object next;
        try {
            next = queue.take();
            while (next instanceof Probe probe) {
                try {
                    rows.probe(probe.ids());
                } catch (SQLException | RuntimeException e) {
                    probe.done().completeExceptionally(e);
                    throw e;
                }
                probe.done().complete(null);
                next = queue.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + source.name(), e);
        }
        if (next == END) {
            ended = true;
            join();
            return null;
        }
        if (next instanceof Throwable failure) {
            ended = true;
            join();
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failure);
        }
        return (Object[][]) next;
    }

    /**
     * Ends the reading (if the writer stopped first) and waits for the thread; after a failure not longer than
     * a second: the thread may be waiting for standard input that a slow program feeds, and the failure is to
     * be told now (the thread, a daemon, ends at its next row).
     */
    void stop() {
        if (ended) {
            return;
        }
        stopped = true;
        boolean interrupted = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (thread.isAlive()) {
            LOG.info("{}: the reading thread is still waiting for input; the load stops without it", source.name());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void join() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            List<RowSource.Row> unprobed = new ArrayList<>();
            RowSource.Row row;
            while (!stopped && (row = source.next()) != null) {
                if ((++read & 4095) == 0) {
                    progress.update(source.name(), read, source.done(), source.total());
                }
                if (!rows.probes()) {
                    take(row);
                } else {
                    unprobed.add(row);
                    if (unprobed.size() == PROBE_ROWS) {
                        takeProbed(unprobed);
                    }
                }
            }
            takeProbed(unprobed);
            if (size > 0 && bad.none()) {
                put(batch);
            }
            put(END);
        } catch (Throwable failure) {
            put(failure);
        }
    }

    /** Has the writer look the rows' keys up, then checks them (none: the writer stopped). */
    private void takeProbed(List<RowSource.Row> unprobed) throws IOException, InterruptedException,
            ExecutionException {
        if (unprobed.isEmpty() || stopped) {
            return;
        }
        long[] ids = unprobed.stream().map(rows::keyOf).filter(Objects::nonNull).mapToLong(Long::longValue).toArray();
        Probe probe = new Probe(ids, new CompletableFuture<>());
        put(probe);
        while (true) {
            try {
                probe.done().get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (stopped) {
                    return;
                }
            }
        }
        for (RowSource.Row row : unprobed) {
            take(row);
        }
        unprobed.clear();
    }

    /** Checks a row: a bad one is reported (or goes to the reject file), a good one joins the batch. */
    private void take(RowSource.Row row) {
        RowChecker.Checked checked = rows.check(row);
        if (checked.verdict == RowChecker.Verdict.SKIP) {
            skipped++;
        } else if (checked.verdict == RowChecker.Verdict.BAD) {
            if (rejects != null) {
                rejected++;
                rejects.write(source.name(), row.line, checked.column, checked.problem, row.text());
            } else {
                bad.add(source.name(), row.line, checked.column, checked.problem);
            }
        } else {
            loaded++;
            if (bad.none()) {
                batch[size++] = checked.values;
                if (size == BATCH_ROWS) {
                    put(batch);
                    batch = new Object[BATCH_ROWS][];
                    size = 0;
                }
            }
        }
    }

    /** Hands the writer a batch (or the end, or a failure), unless it has stopped. */
    private void put(Object item) {
        try {
            while (!stopped && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // the writer is busy: wait
            }
        } catch (InterruptedException e) {
            stopped = true;
        }
    }
}
