package ispdb.load;

import ispdb.db.PredictionMapper;
import ispdb.db.TableMapper;
import ispdb.db.TableRows;
import ispdb.model.Column;
import ispdb.model.Prediction;
import ispdb.model.Table;
import ispdb.model.Timestamps;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes validated rows, the fastest way the database at hand has. On PostgreSQL an insert streams its rows through
 * the driver's copy API ({@code COPY ... FROM STDIN}, CSV) in the table's column order; otherwise (and for every
 * upsert) each row is a call of its table's mapper in a batch session on the load's connection
 * ({@link TableRows#batches}), sent in JDBC batches of {@link #BATCH_ROWS} (MariaDB: one bulk command each; SQLite:
 * all in the load's one transaction; a Spider head: an INSERT of many rows each, which reaches each backend as one
 * statement, where a bulk command's rows reach it one statement each).
 */
final class RowSink implements AutoCloseable {
    static final int BATCH_ROWS = 1000;

    /** The keys in lists of at most {@link #BATCH_ROWS}, as the loads' lookups by key send them (views of it). */
    static <T> java.util.List<java.util.List<T>> chunks(java.util.List<T> keys) {
        java.util.List<java.util.List<T>> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_ROWS) {
            chunks.add(keys.subList(from, Math.min(from + BATCH_ROWS, keys.size())));
        }
        return chunks;
    }

    private final Connection connection;
    private final SqlSession batch;
    /** Rows handed to the BATCH session and not yet sent. */
    private int pending;
    /** Whether the connection takes COPY (PostgreSQL); null until the first row. */
    private Boolean copies;
    private final TableMapper<Object>[] mappers;
    private final Copy[][] copy = new Copy[Table.values().length][Write.values().length];
    private Copy activeCopy;

    /** How a row is written: a statement of the table's mapper; an insert may go by COPY instead. */
    enum Write { INSERT, INSERT_WITH_ID, UPSERT }

    /** A COPY of a table's rows: which row values it takes, in order; the open COPY while one is under way. */
    private static final class Copy {
        final String command;
        final int[] valueIndex;
        final StringBuilder buffer = new StringBuilder(1 << 16);
        CopyIn copyIn;

        /**
         * The table's columns, in its order; an insert into a table whose key the database assigns (predictions)
         * leaves the key out. The command is the driver's copy API's, named from the model (Table).
         */
        Copy(Table table, Write write) {
            boolean withKey = write == Write.INSERT_WITH_ID || !table.primaryKey().optionalInHeader();
            List<Column> columns = table.columns().subList(withKey ? 0 : 1, table.columns().size());
            valueIndex = new int[columns.size()];
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                valueIndex[i] = i + (withKey ? 0 : 1);
                names.append(i == 0 ? "" : ", ").append(columns.get(i).name());
            }
            command = "COPY " + table.tableName() + " (" + names + ") FROM STDIN WITH (FORMAT csv)";
        }
    }

    @SuppressWarnings("unchecked")
    /** @param manyRows whether the connection is to a Spider head (see {@link TableRows#batches}) */
    RowSink(Connection connection, Configuration configuration, boolean manyRows) {
        this.connection = connection;
        this.batch = TableRows.batches(configuration, connection, manyRows);
        this.mappers = new TableMapper[Table.values().length];
    }

    /** Adds a row (values in the table's column order), written as {@code write} says. */
    void add(Table table, Write write, Object[] values) throws SQLException {
        if (write != Write.UPSERT && copies()) {
            Copy c = copy[table.ordinal()][write.ordinal()];
            if (c == null) {
                c = new Copy(table, write);
                copy[table.ordinal()][write.ordinal()] = c;
            }
            copy(c, values);
            return;
        }
        endCopy();
        Object row = table.row(values);
        switch (write) {
            case INSERT -> mapper(table).insert(row);
            case INSERT_WITH_ID -> batch.getMapper(PredictionMapper.class).insertWithId((Prediction) row);
            case UPSERT -> mapper(table).upsert(row);
        }
        if (++pending >= BATCH_ROWS) {
            sendBatch();
        }
    }

    private TableMapper<Object> mapper(Table table) {
        TableMapper<Object> m = mappers[table.ordinal()];
        if (m == null) {
            m = TableRows.mapper(batch, table);
            mappers[table.ordinal()] = m;
        }
        return m;
    }

    private boolean copies() throws SQLException {
        if (copies == null) {
            copies = connection.isWrapperFor(PGConnection.class);
        }
        return copies;
    }

    /** Sends every pending row. */
    void flush() throws SQLException {
        endCopy();
        sendBatch();
    }

    private void sendBatch() {
        if (pending > 0) {
            batch.flushStatements();
            pending = 0;
        }
    }

    private void copy(Copy copy, Object[] values) throws SQLException {
        if (activeCopy != copy) {
            endCopy();
            sendBatch();
            copy.copyIn = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.command);
            activeCopy = copy;
        }
        StringBuilder b = copy.buffer;
        for (int i = 0; i < copy.valueIndex.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            csv(b, values[copy.valueIndex[i]]);
        }
        b.append('\n');
        if (b.length() >= (1 << 16) - 1024) {
            send(copy);
        }
    }

    /** A value in PostgreSQL's CSV COPY format: nothing for NULL, text always quoted. */
    private static void csv(StringBuilder b, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    b.append('"');
                }
                b.append(c);
            }
            b.append('"');
        } else if (v instanceof LocalDateTime t) {
            b.append(Timestamps.format(t));
        } else if (v instanceof Boolean x) {
            b.append(x ? 't' : 'f');
        } else {
            b.append(v);
        }
    }

    private void send(Copy copy) throws SQLException {
        byte[] bytes = copy.buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.copyIn.writeToCopy(bytes, 0, bytes.length);
        copy.buffer.setLength(0);
    }

    private void endCopy() throws SQLException {
        if (activeCopy != null) {
            Copy copy = activeCopy;
            activeCopy = null;
            send(copy);
            copy.copyIn.endCopy();
            copy.copyIn = null;
        }
    }

    /**
     * Drops what is under way: an open COPY is cancelled and the rows not yet sent are dropped (neither is
     * written). The load's session rolls back its transaction.
     */
    void abort() throws SQLException {
        Copy copy = activeCopy;
        activeCopy = null;
        if (copy != null && copy.copyIn != null && copy.copyIn.isActive()) {
            copy.copyIn.cancelCopy();
        }
        pending = 0;
        batch.rollback(true); // closes the queued statements; the connection is the load session's to roll back
    }

    @Override
    public void close() throws SQLException {
        abort();
        batch.close();
    }
}
