package ispdb.load;

import ispdb.Interruption;
import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.PredictionMapper;
import ispdb.db.SchemaMapper;
import ispdb.db.TableRows;
import ispdb.model.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads CSV files into their tables in one transaction: every row is parsed and checked (types, required values,
 * keys, references) before it is written, so a problem names its file, line and column. By default any bad row
 * rejects the whole load and nothing is written; with {@link OnError#SKIP} the good rows load and the bad ones
 * go to a reject file.
 */
public final class Loader {
    private static final Logger LOG = LogManager.getLogger(Loader.class);
    /** Bad rows listed in the error report; the rest are counted. */
    static final int ERRORS_SHOWN = 20;
    /**
     * A load into a table with fewer rows than this, from a file of at least {@link #BULK_BYTES}, takes the bulk
     * path: on SQLite it drops the table's secondary indexes first and builds them again at the end, in the same
     * transaction (building an index once is much faster than keeping it up to date row by row), from their
     * definitions in the catalog (sqlite_master) as it stood before the load; readers see the old snapshot (WAL)
     * meanwhile. On MariaDB/MySQL the session skips InnoDB's per-row foreign-key check (ispdb has checked every
     * key). On PostgreSQL no DDL (dropping an index or a foreign key would lock out readers until commit): the
     * parents are locked against writers and the transaction skips the foreign-key triggers, if it may (see
     * TransactionMapper.xml).
     */
    private static final long BULK_EXISTING_ROWS = 100_000;
    public enum OnError { FAIL, SKIP }

    public enum Mode { INSERT, UPSERT, SKIP_EXISTING }

    /**
     * How to load. {@code rejectFile} goes with {@link OnError#SKIP}; {@code command} is what the journal
     * records ("load-csv"); {@code again} loads a predictions file that was loaded before; {@code newDatabase}
     * says the command created the target's schema itself just before (copy into an empty database): nobody else
     * uses it yet, so a bulk load on PostgreSQL may drop the table's secondary indexes and build them at the end.
     */
    public record Options(OnError onError, Path rejectFile, Mode mode, char delimiter, Charset encoding,
            Progress progress, String command, boolean again, boolean newDatabase) {
        public Options(OnError onError, Path rejectFile, Mode mode, char delimiter, Charset encoding,
                Progress progress, String command, boolean again) {
            this(onError, rejectFile, mode, delimiter, encoding, progress, command, again, false);
        }
    }

    /** Told how a load goes, every few thousand rows (for a progress bar). */
    public interface Progress {
        Progress NONE = (file, rows, bytesRead, bytes) -> { };

        /** {@code bytes} is the file's size, or -1 if unknown (standard input). */
        void update(String file, long rows, long bytesRead, long bytes);

        default void done() {
        }
    }

    /** Opens a source's bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * One CSV input for one table; {@code name} is how messages refer to it (its path, or {@code <stdin>});
     * {@code file} is its path (null for standard input); {@code bytes} is its size if known, else -1.
     */
    public record Source(Table table, String name, Path file, long bytes, Opener opener) {
        /** FILE as the command line gives it: a path, or {@code -} for standard input (a usage error if unreadable). */
        public static Source of(Table table, String file) {
            if (file.equals("-")) {
                InputStream stdin = System.in;
                return new Source(table, "<stdin>", null, -1, () -> stdin);
            }
            return of(table, file, Path.of(file));
        }

        /** A file, named in messages as {@code name}. */
        public static Source of(Table table, String name, Path path) {
            if (Files.isDirectory(path)) {
                throw IspdbException.usage(path + " is a folder: load a folder with --dir");
            }
            if (!Files.exists(path)) {
                throw IspdbException.usage("cannot read " + path + ": no such file");
            }
            if (!Files.isReadable(path)) {
                throw IspdbException.usage("cannot read " + path + ": permission denied");
            }
            long size;
            try {
                size = Files.size(path);
            } catch (IOException e) {
                size = -1;
            }
            // a FIFO (a named pipe, or bash's <(gunzip -c ...)) through a plain FileInputStream: the NIO stream of
            // Files.newInputStream fails on it with "Illegal seek"
            boolean regular = Files.isRegularFile(path);
            return new Source(table, name, path, size,
                    () -> regular ? Files.newInputStream(path) : new java.io.FileInputStream(path.toFile()));
        }
    }

    /** What became of one source's rows: read = loaded + skipped + rejected. */
    public record Count(Table table, String name, long read, long loaded, long skipped, long rejected) {
    }

    /** What a load did. */
    public record Result(List<Count> counts, double seconds) {
        public long read() {
            return counts.stream().mapToLong(Count::read).sum();
        }

        public long loaded() {
            return counts.stream().mapToLong(Count::loaded).sum();
        }

        public long skipped() {
            return counts.stream().mapToLong(Count::skipped).sum();
        }

        public long rejected() {
            return counts.stream().mapToLong(Count::rejected).sum();
        }
    }

    private final Database db;
    private final Options options;
    private final List<String> errors = new ArrayList<>();
    private final LocalDateTime now;
    private long badRows;
    private RejectFile rejects;
    private SqlSession session;
    private RowSink sink;
    private RowChecker checker;
    private LoadJournal journal;
    private boolean explicitPredictionIds;

    private Loader(Database db, Options options, LocalDateTime started) {
        this.db = db;
        this.options = options;
        this.now = started;
    }

    /** Loads the CSV sources, in the order given (parents before children), all or nothing. */
    public static Result load(Database db, List<Source> sources, Options options) {
        return load(db, sources, options, startTime());
    }

    /**
     * As {@link #load(Database, List, Options)}, with the start time the journal records ({@link #startTime()}):
     * an attempt that is retried keeps its start time, by which {@link #committedEarlier} finds what it committed.
     */
    public static Result load(Database db, List<Source> sources, Options options, LocalDateTime started) {
        List<RowSource> rows = new ArrayList<>();
        for (Source source : sources) {
            rows.add(new CsvRows(source, options.encoding(), options.delimiter()));
        }
        return new Loader(db, options, started).run(rows, sources.stream().map(Source::file).toList());
    }

    /** Now, UTC, to the microsecond (as the journal keeps it). */
    public static LocalDateTime startTime() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * What a load of this one source that started at {@code started} committed, from its journal entry; empty if
     * it committed nothing (then a retry may load it).
     */
    public static java.util.Optional<Result> committedEarlier(Database db, Source source, Options options,
            LocalDateTime started) {
        return LoadJournal.committed(db, source, options.command(), started)
                .map(c -> new Result(List.of(c), 0));
    }

    /**
     * Loads rows from any sources, in the order given (parents before children), all or nothing.
     *
     * @param inputs the files read (null: none), which a reject file must not be
     */
    static Result load(Database db, List<RowSource> sources, List<Path> inputs, Options options) {
        return new Loader(db, options, startTime()).run(sources, inputs);
    }

    private Result run(List<RowSource> sources, List<Path> inputs) {
        long start = System.nanoTime();
        db.useMappers(TableRows.MAPPERS.toArray(Class<?>[]::new));
        List<Count> counts = new ArrayList<>();
        if (options.onError() == OnError.SKIP) {
            rejects = new RejectFile(options.rejectFile(), inputs, db.file());
        }
        try (RejectFile closing = rejects; SqlSession s = db.writeSession(ExecutorType.SIMPLE);
                Finish progress = options.progress()::done;
                RowSink batches = new RowSink(s.getConnection(), s.getConfiguration())) {
            session = s;
            sink = batches;
            boolean foreignKeysOff = ForeignKeyChecks.off(s);
            try {
                loadAll(s, batches, sources, counts);
            } finally {
                if (foreignKeysOff) {
                    ForeignKeyChecks.on(s);
                }
            }
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException | SQLException e) {
            IspdbException loadedMeanwhile = journal == null ? null : journal.loadedMeanwhile(db, e);
            if (loadedMeanwhile != null) {
                throw loadedMeanwhile;
            }
            throw db.failure(action(sources), e);
        }
        Result result = new Result(counts, (System.nanoTime() - start) / 1e9);
        LOG.info("load of {}: read {}, loaded {}, skipped {}, rejected {}, {} s", describe(sources), result.read(),
                result.loaded(), result.skipped(), result.rejected(), result.seconds());
        return result;
    }

    /** Loads every source in the session's transaction and commits, or rolls back and throws. */
    private void loadAll(SqlSession s, RowSink batches, List<RowSource> sources, List<Count> counts)
            throws SQLException {
        checker = new RowChecker(s, options.mode(), options.onError(), now);
        journal = new LoadJournal(s, options.command(), now);
        try {
            for (RowSource source : sources) {
                counts.add(loadOne(source));
            }
            if (badRows > 0) {
                throw rejected();
            }
            if (explicitPredictionIds) {
                session.getMapper(PredictionMapper.class).syncIdSequence();
            }
            if (rejects != null) {
                rejects.secure(); // nothing commits unless the rejected rows are safe
            }
        } catch (RuntimeException | SQLException e) {
            // the rows went through the connection, not through MyBatis, which would not know to roll back;
            // an open COPY must end before the connection takes another command
            try {
                batches.abort();
                s.rollback(true);
            } catch (RuntimeException | SQLException undo) {
                // the database may have ended the transaction itself (SQLite does on a full disk): the
                // failure to tell the user about is the first one
                e.addSuppressed(undo);
            }
            if (!(e instanceof IspdbException) && Database.isDuplicateKey(e)) {
                throw writtenMeanwhile(sources, e);
            }
            throw e;
        }
        // forced: the rows went through the connection, so MyBatis thinks nothing changed; a signal from now on
        // waits for the command to report the load
        Interruption.commit(() -> {
            session.commit(true);
            if (rejects != null) {
                rejects.commit();
            }
        });
    }

    /**
     * Another program wrote some of this load's keys while it ran, and the database refused them as duplicates:
     * as for keys found there at the start, those rows are bad (exit code 1), and the message names the first.
     */
    private IspdbException writtenMeanwhile(List<RowSource> sources, Throwable e) {
        for (RowSource source : sources) {
            Table table = source.table();
            long[] first = {0};
            long[] found = {0};
            try (SqlSession look = db.session(ExecutorType.SIMPLE)) {
                TableRows.selectIds(look, table, key -> {
                    if (checker.added(table, key) && found[0]++ == 0) {
                        first[0] = key;
                    }
                });
            } catch (RuntimeException lookFailed) {
                e.addSuppressed(lookFailed);
            }
            if (found[0] > 0) {
                return new IspdbException(ExitCodes.REJECTED, source.name() + ": " + table.primaryKey().name() + " "
                        + first[0] + (found[0] > 1 ? " (and " + (found[0] - 1) + " more of this file's keys)" : "")
                        + " was written to " + table.tableName() + " by another program while this load ran; "
                        + "nothing was loaded (load again: --mode skip-existing keeps those rows, --mode upsert "
                        + "replaces them)", e);
            }
        }
        return new IspdbException(ExitCodes.REJECTED, describe(sources) + ": another program wrote the same keys "
                + "while this load ran; nothing was loaded", e);
    }

    /** Ends the progress display however the load ends. */
    private interface Finish extends AutoCloseable {
        @Override
        void close();
    }

    private static String describe(List<RowSource> sources) {
        if (sources.size() == 1) {
            return sources.get(0).name();
        }
        StringBuilder names = new StringBuilder();
        for (RowSource source : sources) {
            names.append(names.length() == 0 ? "" : ", ").append(source.name());
        }
        return "the " + sources.size() + " files " + names;
    }

    /**
     * What a failed load could not do, in its command's words: "load customers.csv (nothing was loaded)", "load the
     * 2 files a.csv, b.csv (...)", "copy the tables dim_payment_method, ... (nothing was copied)", "record the
     * predictions of predict --months 12 (nothing was recorded)".
     */
    private String action(List<RowSource> sources) {
        return switch (options.command()) {
            case "copy" -> "copy the tables " + describe(sources).replaceFirst("^the \\d+ files ", "")
                    + " (nothing was copied)";
            case "predict" -> "record the predictions of " + describe(sources) + " (nothing was recorded)";
            default -> "load " + describe(sources) + " (nothing was loaded)";
        };
    }

    /**
     * Reads a source's rows, checks each, and sends the good ones to the sink; records the source in the journal. The
     * rows are read and checked on a thread of their own ({@link CheckedRows}) while this one writes the rows before
     * them: a load keeps both of a machine's cores busy, and the bounded queue between them keeps memory flat.
     */
    private Count loadOne(RowSource source) throws SQLException {
        Table table = source.table();
        String sha256;
        try (RowSource closing = source) {
            source.open();
            RowChecker.TableChecker rows = checker.forTable(table, source.givesKeys());
            boolean bulk = source.large() && (rows.existingKeyCount() >= 0 ? rows.existingKeyCount()
                    : count(table)) < BULK_EXISTING_ROWS;
            BulkLoad bulkLoad = bulk ? BulkLoad.before(session, table, options.newDatabase()) : null;
            RowSink.Write keyed = options.mode() == Mode.UPSERT ? RowSink.Write.UPSERT
                    : table.primaryKey().optionalInHeader() ? RowSink.Write.INSERT_WITH_ID : RowSink.Write.INSERT;
            CheckedRows checked = new CheckedRows(source, rows);
            try {
                Object[][] batch;
                while ((batch = checked.nextBatch()) != null) {
                    for (Object[] values : batch) {
                        if (values == null) {
                            break;
                        }
                        sink.add(table, values[0] == null ? RowSink.Write.INSERT : keyed, values);
                    }
                }
            } finally {
                checked.stop();
            }
            sink.flush();
            if (bulkLoad != null) {
                bulkLoad.after(session);
            }
            sha256 = source.finish();
            options.progress().update(source.name(), checked.read, source.done(), source.total());
            boolean once = !options.again() && source.refusedIfRepeated();
            if (once) {
                journal.refuseRepeat(source, sha256, source.formerSha256());
            }
            Count count = new Count(table, source.name(), checked.read, checked.loaded, checked.skipped,
                    checked.rejected);
            if (badRows == 0) {
                journal.record(source, count, sha256, once);
            }
            return count;
        } catch (IOException e) {
            throw IspdbException.usage("cannot read " + source.name() + ": " + CsvRows.reason(e));
        }
    }

    /**
     * One source's rows, read and checked on a thread of their own: the rows to load reach the writer in batches
     * through a bounded queue (a few batches ahead at most, so memory stays flat); bad rows are reported (or go to
     * the reject file) there, in line order, as before. Whatever stops the reading (a file that cannot be read as
     * CSV, a reject file that cannot be written) reaches the writer after the rows before it, and is thrown there, as
     * it would have been had one thread done both; a writer that fails stops the reading. The key sets the checks use
     * are all read before the thread starts ({@link RowChecker#forTable}): only the writer uses the connection.
     */
    private final class CheckedRows {
        private static final int BATCH_ROWS = RowSink.BATCH_ROWS;
        private static final Object[][] END = new Object[0][];
        private final java.util.concurrent.BlockingQueue<Object> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(4);
        private final RowSource source;
        private final RowChecker.TableChecker rows;
        private final Thread thread;
        private volatile boolean stopped;
        private boolean ended;
        /** Counts, read by the writer once the thread has ended. */
        long read;
        long loaded;
        long skipped;
        long rejected;

        CheckedRows(RowSource source, RowChecker.TableChecker rows) {
            this.source = source;
            this.rows = rows;
            this.thread = new Thread(this::run, "ispdb-check-" + source.table().tableName());
            thread.setDaemon(true);
            thread.start();
        }

        /** The next batch of rows to write (a null row ends a short batch), or null after the last. */
        Object[][] nextBatch() throws IOException {
            if (ended) {
                return null;
            }
            Object next;
            try {
                next = queue.take();
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
                Object[][] batch = new Object[BATCH_ROWS][];
                int size = 0;
                Table table = source.table();
                RowSource.Row row;
                while (!stopped && (row = source.next()) != null) {
                    if ((++read & 4095) == 0) {
                        options.progress().update(source.name(), read, source.done(), source.total());
                    }
                    RowChecker.Checked checked = rows.check(row);
                    if (checked.verdict == RowChecker.Verdict.SKIP) {
                        skipped++;
                    } else if (checked.verdict == RowChecker.Verdict.BAD) {
                        if (options.onError() == OnError.SKIP) {
                            rejected++;
                            rejects.write(source.name(), row.line, checked.column, checked.problem, row.text());
                        } else {
                            badRow(source.name() + ":" + row.line + ": " + checked.column + ": " + checked.problem);
                        }
                    } else {
                        Object[] values = checked.values;
                        if (table == Table.PREDICTION) {
                            if (values[6] == null) {
                                values[6] = now;
                            }
                            explicitPredictionIds |= values[0] != null;
                        }
                        loaded++;
                        if (badRows == 0) {
                            batch[size++] = values;
                            if (size == BATCH_ROWS) {
                                put(batch);
                                batch = new Object[BATCH_ROWS][];
                                size = 0;
                            }
                        }
                    }
                }
                if (size > 0 && badRows == 0) {
                    put(batch);
                }
                put(END);
            } catch (Throwable failure) {
                put(failure);
            }
        }

        /** Hands the writer a batch (or the end, or a failure), unless it has stopped. */
        private void put(Object item) {
            try {
                while (!stopped && !queue.offer(item, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    // the writer is busy: wait
                }
            } catch (InterruptedException e) {
                stopped = true;
            }
        }
    }

    private long count(Table table) {
        return session.getMapper(SchemaMapper.class).countRows(table.tableName());
    }

    private void badRow(String message) {
        badRows++;
        if (errors.size() < ERRORS_SHOWN) {
            errors.add(message);
        }
    }

    private IspdbException rejected() {
        StringBuilder s = new StringBuilder(String.join("\n", errors));
        if (badRows > errors.size()) {
            s.append("\n... and ").append(badRows - errors.size()).append(" more bad row")
                    .append(badRows - errors.size() == 1 ? "" : "s");
        }
        s.append("\nrejected: ").append(badRows).append(" bad row").append(badRows == 1 ? "" : "s")
                .append(", nothing was loaded (fix them, or load the good rows with --on-error skip --reject-file FILE)");
        return IspdbException.rejected(s.toString());
    }
}
