package ispdb.load;

import ispdb.Interruption;
import ispdb.IspdbException;
import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.db.PredictionMapper;
import ispdb.db.SchemaMapper;
import ispdb.db.TableRows;
import ispdb.load.LoadResult.Count;
import ispdb.model.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads rows into their tables in one transaction: each source ({@link CsvRows} for a CSV file, {@link DatabaseRows}
 * for copy, {@link PredictionRows} for predict --record) reads its rows, each row is checked (types, required
 * values, keys, references: {@link RowChecker}) on a thread of its own ({@link CheckedRows}) before it is written
 * ({@link RowSink}), so a problem names its file, line and column. By default any bad row rejects the whole load and
 * nothing is written ({@link BadRowReport}); with {@link OnError#SKIP} the good rows load and the bad ones go to a
 * reject file ({@link RejectFile}). The load journal records each source in the same transaction ({@link
 * LoadJournal}).
 */
public final class Loader {
    private static final Logger LOG = LogManager.getLogger(Loader.class);
    /**
     * A load into a table with fewer rows than this, from a large source ({@link RowSource#large()}), takes the bulk
     * path: on SQLite it drops the table's secondary indexes first and builds them again at the end, in the same
     * transaction (building an index once is much faster than keeping it up to date row by row), from their
     * definitions in the catalog (sqlite_master) as it stood before the load; readers see the old snapshot (WAL)
     * meanwhile. On MariaDB/MySQL the session skips InnoDB's per-row foreign-key check (ispdb has checked every
     * key). On PostgreSQL no DDL (dropping an index or a foreign key would lock out readers until commit): the
     * parents are locked against writers and the transaction skips the foreign-key triggers, if it may (see
     * SessionMapper.xml).
     */
    private static final long BULK_EXISTING_ROWS = 100_000;

    private final Database db;
    private final LoadOptions options;
    private final LocalDateTime now;
    private final BadRowReport badRows = new BadRowReport();
    private RejectFile rejects;
    private SqlSession session;
    private RowSink sink;
    private RowChecker checker;
    private LoadJournal journal;
    /** The customers whose purchase summaries the load changes. */
    private final TouchedCustomers touched = new TouchedCustomers();
    /** The months whose revenue the load changes (none in a bulk load, whose end makes them all again). */
    private final TouchedMonths months = new TouchedMonths();
    /** Whether rows gave keys the database otherwise assigns (prediction_id): its sequence must then pass them. */
    private boolean assignedKeysGiven;

    private Loader(Database db, LoadOptions options, LocalDateTime started) {
        this.db = db;
        this.options = options;
        this.now = started;
    }

    /** Loads the CSV sources, in the order given (parents before children), all or nothing. */
    public static LoadResult load(Database db, List<CsvSource> sources, LoadOptions options) {
        return load(db, sources, options, startTime());
    }

    /**
     * As {@link #load(Database, List, LoadOptions)}, with the start time the journal records ({@link #startTime()}):
     * an attempt that is retried keeps its start time, by which {@link #committedEarlier} finds what it committed.
     */
    public static LoadResult load(Database db, List<CsvSource> sources, LoadOptions options, LocalDateTime started) {
        List<RowSource> rows = new ArrayList<>();
        for (CsvSource source : sources) {
            rows.add(new CsvRows(source, options.encoding(), options.delimiter()));
        }
        return new Loader(db, options, started).run(rows, sources.stream().map(CsvSource::file).toList());
    }

    /**
     * Loads rows from sources that read no file (copy, predict --record), in the order given (parents before
     * children), all or nothing.
     */
    public static LoadResult loadRows(Database db, List<RowSource> sources, LoadOptions options) {
        return new Loader(db, options, startTime()).run(sources, List.of());
    }

    /** Now, UTC, to the microsecond (as the journal keeps it). */
    public static LocalDateTime startTime() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * What a load of this one source that started at {@code started} committed, from its journal entry; empty if
     * it committed nothing (then a retry may load it).
     */
    public static Optional<LoadResult> committedEarlier(Database db, CsvSource source, LoadOptions options,
            LocalDateTime started) {
        return LoadJournal.committed(db, source, options.command(), started).map(c -> new LoadResult(List.of(c), 0));
    }

    /** @param inputs the files read, which a reject file must not be */
    private LoadResult run(List<RowSource> sources, List<Path> inputs) {
        long start = System.nanoTime();
        db.useMappers(TableRows.MAPPERS.toArray(Class<?>[]::new));
        db.useMappers(AnalysisMapper.class);
        List<Count> counts = new ArrayList<>();
        if (options.onError() == OnError.SKIP) {
            rejects = new RejectFile(options.rejectFile(), inputs, db.file());
        }
        try (RejectFile closing = rejects; SqlSession s = db.loadSession(ExecutorType.SIMPLE);
                Finish progress = options.progress()::done;
                RowSink batches = new RowSink(s.getConnection(), s.getConfiguration(), db.spiderEngine())) {
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
        LoadResult result = new LoadResult(counts, (System.nanoTime() - start) / 1e9);
        LOG.info("load of {}: read {}, loaded {}, skipped {}, rejected {}, {} s", describe(sources), result.read(),
                result.loaded(), result.skipped(), result.rejected(), result.seconds());
        return result;
    }

    /** Loads every source in the session's transaction and commits, or rolls back and throws. */
    private void loadAll(SqlSession s, RowSink batches, List<RowSource> sources, List<Count> counts)
            throws SQLException {
        checker = new RowChecker(s, batches, options.mode(), options.onError(), now);
        journal = new LoadJournal(s, options.command(), now);
        try {
            for (RowSource source : sources) {
                counts.add(loadOne(source));
            }
            if (!badRows.none()) {
                throw badRows.rejected();
            }
            touched.update(session);
            months.update(session);
            if (assignedKeysGiven) {
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
            IspdbException meanwhile = !(e instanceof IspdbException) && Database.isDuplicateKey(e)
                    ? checker.writtenMeanwhile(db, sources, e) : null;
            if (meanwhile != null) {
                throw meanwhile;
            }
            throw e;
        }
        // forced: the rows went through the connection, so MyBatis thinks nothing changed; a signal from now on
        // waits for the command to report the load
        Interruption.Commit<RuntimeException> commit = () -> {
            session.commit(true);
            if (rejects != null) {
                rejects.commit();
            }
            options.committed().run();
        };
        if (options.written() == null) {
            Interruption.commit(commit);
        } else {
            Interruption.commitPart(options.written(), commit);
        }
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
            RowChecker.TableChecker rows = checker.forTable(source);
            boolean bulk = source.large() && (rows.existingKeyCount() >= 0 ? rows.existingKeyCount()
                    : count(table)) < BULK_EXISTING_ROWS;
            BulkLoad bulkLoad = bulk ? BulkLoad.before(session, table, options.newDatabase()) : null;
            RowSink.Write keyed = options.mode() == Mode.UPSERT ? RowSink.Write.UPSERT
                    : table.primaryKey().optionalInHeader() ? RowSink.Write.INSERT_WITH_ID : RowSink.Write.INSERT;
            int key = table.columns().indexOf(table.primaryKey());
            boolean assignedKeys = table.primaryKey().optionalInHeader();
            boolean transactions = table == Table.TRANSACTION;
            boolean moves = keyed == RowSink.Write.UPSERT && MovedRows.apply(table);
            if (transactions && bulk) {
                touched.all();
            }
            CheckedRows checked = new CheckedRows(source, rows, options.progress(), rejects, badRows);
            try {
                Object[][] batch;
                while ((batch = checked.nextBatch()) != null) {
                    if (transactions) {
                        LongPredicate replaces = id -> keyed == RowSink.Write.UPSERT && rows.existedBefore(id);
                        touched.writing(session, sink, batch, replaces);
                        if (!bulk) {
                            months.writing(session, sink, batch, replaces);
                        }
                    }
                    if (moves) {
                        MovedRows.deleteMoved(session, sink, table, batch, rows::existedBefore);
                    }
                    for (Object[] values : batch) {
                        if (values == null) {
                            break;
                        }
                        if (values[key] == null) {
                            sink.add(table, RowSink.Write.INSERT, values);
                        } else {
                            assignedKeysGiven |= assignedKeys;
                            sink.add(table, keyed, values);
                        }
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
            if (badRows.none()) {
                journal.record(source, count, sha256, once);
            }
            return count;
        } catch (IOException e) {
            throw IspdbException.usage("cannot read " + source.name() + ": " + CsvRows.reason(e));
        }
    }

    private long count(Table table) {
        return session.getMapper(SchemaMapper.class).countRows(table.tableName());
    }
}
