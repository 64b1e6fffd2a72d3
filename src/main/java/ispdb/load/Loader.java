package ispdb.load;

import ispdb.IspdbException;
import ispdb.csv.CsvFile;
import ispdb.csv.CsvFormatException;
import ispdb.db.Database;
import ispdb.db.PaymentMethodMapper;
import ispdb.db.PredictionMapper;
import ispdb.db.TransactionMapper;
import ispdb.model.Column;
import ispdb.model.Table;
import ispdb.model.Values;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
     * A load into a table with fewer rows than this, from a file of at least {@link #BULK_BYTES}, drops the
     * table's secondary indexes first and builds them again at the end (in the same transaction): building an
     * index once is much faster than keeping it up to date row by row.
     */
    private static final long BULK_EXISTING_ROWS = 100_000;
    private static final long BULK_BYTES = 16L << 20;

    public enum OnError { FAIL, SKIP }

    public enum Mode { INSERT, UPSERT, SKIP_EXISTING }

    /** How to load. {@code rejectFile} goes with {@link OnError#SKIP}. */
    public record Options(OnError onError, Path rejectFile, Mode mode, char delimiter, Charset encoding,
            Progress progress) {
        public Options(OnError onError, Path rejectFile, Mode mode, char delimiter, Charset encoding) {
            this(onError, rejectFile, mode, delimiter, encoding, Progress.NONE);
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
     * {@code bytes} is its size if known, else -1.
     */
    public record Source(Table table, String name, long bytes, Opener opener) {
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
    private final Map<Table, KeySet> existing = new EnumMap<>(Table.class);
    private final Map<Table, KeySet> added = new EnumMap<>(Table.class);
    private final List<String> errors = new ArrayList<>();
    private final LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    private long badRows;
    private RejectFile rejects;
    private SqlSession session;
    private RowSink sink;
    private boolean explicitPredictionIds;

    private Loader(Database db, Options options) {
        this.db = db;
        this.options = options;
    }

    /** Loads the sources, in the order given (parents before children), all or nothing. */
    public static Result load(Database db, List<Source> sources, Options options) {
        return new Loader(db, options).run(sources);
    }

    private Result run(List<Source> sources) {
        long start = System.nanoTime();
        db.useMappers(PaymentMethodMapper.class, TransactionMapper.class, PredictionMapper.class);
        List<Count> counts = new ArrayList<>();
        if (options.onError() == OnError.SKIP) {
            rejects = new RejectFile(options.rejectFile());
        }
        try (RejectFile closing = rejects; SqlSession s = db.writeSession(ExecutorType.SIMPLE);
                Finish progress = options.progress()::done;
                RowSink batches = new RowSink(s.getConnection(), s.getConfiguration())) {
            session = s;
            sink = batches;
            try {
                for (Source source : sources) {
                    counts.add(loadOne(source));
                }
                if (badRows > 0) {
                    throw rejected();
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
                throw e;
            }
            if (explicitPredictionIds) {
                session.selectOne(Table.PREDICTION.statement("syncIdSequence"));
            }
            session.commit(true); // forced: the rows went through the connection, so MyBatis thinks nothing changed
            if (rejects != null) {
                rejects.commit();
            }
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException | SQLException e) {
            throw db.failure("load " + describe(sources) + " (nothing was loaded)", e);
        }
        Result result = new Result(counts, (System.nanoTime() - start) / 1e9);
        LOG.info("load of {}: read {}, loaded {}, skipped {}, rejected {}, {} s", describe(sources), result.read(),
                result.loaded(), result.skipped(), result.rejected(), result.seconds());
        return result;
    }

    /** Ends the progress display however the load ends. */
    private interface Finish extends AutoCloseable {
        @Override
        void close();
    }

    private static String describe(List<Source> sources) {
        return sources.size() == 1 ? sources.get(0).name() : sources.size() + " files";
    }

    private Count loadOne(Source source) throws SQLException {
        Table table = source.table();
        long read = 0;
        long loaded = 0;
        long skipped = 0;
        long rejected = 0;
        CountingInputStream in;
        try {
            in = new CountingInputStream(source.opener().open());
        } catch (IOException e) {
            throw IspdbException.usage("cannot read " + source.name() + ": " + reason(e));
        }
        try (CsvFile csv = new CsvFile(source.name(), in, options.encoding(), options.delimiter())) {
            CsvFile.Row header = csv.next();
            if (header == null) {
                throw IspdbException.rejected(source.name() + ":1: the file is empty; it needs a header row naming "
                        + "the columns of " + table.tableName() + " (" + columnNames(table) + "); nothing was loaded");
            }
            int[] positions = positions(source, table, header);
            List<Column> columns = table.columns();
            Column pk = table.primaryKey();
            KeySet existingKeys = pk.optionalInHeader() && positions[0] < 0 ? null : keys(existing, table, true);
            KeySet addedKeys = keys(added, table, false);
            boolean bulk = source.bytes() >= BULK_BYTES && (existingKeys == null
                    ? count(table) < BULK_EXISTING_ROWS : existingKeys.size() < BULK_EXISTING_ROWS);
            if (bulk) {
                runAll(table, "beforeBulkLoad");
            }
            CsvFile.Row row;
            while ((row = csv.next()) != null) {
                if ((++read & 4095) == 0) {
                    options.progress().update(source.name(), read, in.count(), source.bytes());
                }
                Object[] values = new Object[columns.size()];
                String problemColumn = null;
                String problem = null;
                if (row.fieldCount() != header.fieldCount()) {
                    problemColumn = "row";
                    problem = "has " + row.fieldCount() + " field" + (row.fieldCount() == 1 ? "" : "s")
                            + ", the header has " + header.fieldCount();
                } else {
                    for (int i = 0; i < columns.size(); i++) {
                        int at = positions[i];
                        if (at < 0) {
                            continue;
                        }
                        try {
                            values[i] = Values.parse(columns.get(i), row.fields().get(at));
                        } catch (IllegalArgumentException e) {
                            problemColumn = columns.get(i).name();
                            problem = e.getMessage();
                            break;
                        }
                    }
                }
                // upsert mode upserts every keyed row, so one statement (and one COPY or batch) serves the file
                String statement = values[0] == null ? "insert"
                        : options.mode() == Mode.UPSERT ? "upsert"
                        : pk.optionalInHeader() ? "insertWithId" : "insert";
                Long key = (Long) values[0]; // null: no key given, or it could not be read
                if (problem == null) {
                    for (int i = 1; i < columns.size() && problem == null; i++) {
                        Table parent = columns.get(i).references();
                        if (parent != null && !has(parent, (Long) values[i])) {
                            problemColumn = columns.get(i).name();
                            problem = "unknown " + parent.noun() + " " + values[i];
                        }
                    }
                }
                if (problem == null && key != null) {
                    if (addedKeys.contains(key)) {
                        problemColumn = pk.name();
                        problem = key + " is on an earlier line too";
                    } else if (existingKeys != null && existingKeys.contains(key)) {
                        if (options.mode() == Mode.SKIP_EXISTING) {
                            skipped++;
                            continue;
                        }
                        if (options.mode() == Mode.INSERT) {
                            problemColumn = pk.name();
                            problem = key + " is already in " + table.tableName()
                                    + " (to replace such rows use --mode upsert, to keep them --mode skip-existing)";
                        }
                    }
                }
                if (problem != null) {
                    if (options.onError() == OnError.SKIP) {
                        rejected++;
                        rejects.write(source.name(), row.line(), problemColumn, problem, row.text());
                    } else {
                        badRow(source.name() + ":" + row.line() + ": " + problemColumn + ": " + problem);
                        if (key != null && !addedKeys.contains(key)) {
                            addedKeys.add(key); // so its children are not reported as well
                        }
                    }
                    continue;
                }
                if (table == Table.PREDICTION) {
                    if (values[6] == null) {
                        values[6] = now;
                    }
                    explicitPredictionIds |= key != null;
                }
                if (key != null) {
                    addedKeys.add(key);
                }
                loaded++;
                if (badRows == 0) {
                    sink.add(table, table.statement(statement), values);
                }
            }
            sink.flush();
            if (bulk) {
                runAll(table, "afterBulkLoad");
            }
            options.progress().update(source.name(), read, in.count(), source.bytes());
        } catch (CsvFormatException e) {
            throw IspdbException.rejected(e.describe() + "; nothing was loaded");
        } catch (IOException e) {
            throw IspdbException.usage("cannot read " + source.name() + ": " + reason(e));
        }
        return new Count(table, source.name(), read, loaded, skipped, rejected);
    }

    /**
     * Runs a table's mapper statements {@code NAME1}, {@code NAME2}, ... as far as the database at hand has
     * them (none: nothing to do on it).
     */
    private void runAll(Table table, String name) {
        for (int i = 1; session.getConfiguration().hasStatement(table.statement(name + i)); i++) {
            session.update(table.statement(name + i));
        }
    }

    private long count(Table table) {
        return session.<Long>selectOne("ispdb.db.SchemaMapper.countRows", table.tableName());
    }

    private boolean has(Table table, Long key) {
        return keys(added, table, false).contains(key) || keys(existing, table, true).contains(key);
    }

    /** A table's keys: those in the database before the load (read once), or those this load added. */
    private KeySet keys(Map<Table, KeySet> sets, Table table, boolean fromDatabase) {
        KeySet set = sets.get(table);
        if (set == null) {
            KeySet fresh = new KeySet();
            if (fromDatabase) {
                session.select(table.statement("selectIds"), context -> fresh.add((Long) context.getResultObject()));
            }
            sets.put(table, fresh);
            set = fresh;
        }
        return set;
    }

    /** Where each of the table's columns stands in the header (-1: left out), or the header's problems. */
    private int[] positions(Source source, Table table, CsvFile.Row header) {
        List<Column> columns = table.columns();
        int[] positions = new int[columns.size()];
        java.util.Arrays.fill(positions, -1);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
        List<String> problems = new ArrayList<>();
        for (int at = 0; at < header.fields().size(); at++) {
            String name = header.fields().get(at).strip().toLowerCase(Locale.ROOT);
            Integer column = index.get(name);
            if (column == null) {
                problems.add(source.name() + ":1: " + Values.shorten(header.fields().get(at)) + ": not a column of "
                        + table.tableName() + " (its columns: " + columnNames(table) + ")");
            } else if (positions[column] >= 0) {
                problems.add(source.name() + ":1: " + name + ": named twice in the header");
            } else {
                positions[column] = at;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (positions[i] < 0 && !columns.get(i).optionalInHeader()) {
                problems.add(source.name() + ":1: " + columns.get(i).name() + ": missing from the header");
            }
        }
        if (!problems.isEmpty()) {
            throw IspdbException.rejected(String.join("\n", problems) + "\n" + source.name()
                    + ": the header does not fit " + table.tableName() + "; nothing was loaded");
        }
        return positions;
    }

    private static String columnNames(Table table) {
        StringBuilder s = new StringBuilder();
        for (Column c : table.columns()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(c.name());
        }
        return s.toString();
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

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
