package ispdb.load;

import ispdb.db.TableRows;
import ispdb.model.Column;
import ispdb.model.Table;
import ispdb.model.Timestamps;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.ObjectTypeHandler;
import org.apache.ibatis.type.TypeHandler;
import org.apache.ibatis.type.UnknownTypeHandler;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes validated rows, the fastest way the database at hand has. Where a mapper has a {@code NAMECopy}
 * statement for the database (PostgreSQL's {@code COPY ... FROM STDIN}), rows are streamed through the
 * driver's copy API as CSV; otherwise they go in JDBC batches of the mapper statement itself. Either way the
 * SQL and the type handlers come from MyBatis (a statement is written once, in its mapper, per database); the
 * per-row work is only binding values, without MyBatis' reflection on every row.
 */
final class RowSink implements AutoCloseable {
    static final int BATCH_ROWS = 1000;

    private final Connection connection;
    private final Configuration configuration;
    private final Map<String, Prepared> prepared = new HashMap<>();

    /** A statement ready to take rows: for each of its parameters, the row value it takes and how to bind it. */
    private static final class Prepared {
        final PreparedStatement statement;
        final int[] valueIndex;
        final TypeHandler<Object>[] handlers;
        final JdbcType[] jdbcTypes;
        /**
         * For a parameter whose handler is MyBatis' UnknownTypeHandler (it looks the handler up by the value's class
         * on every row): the handler it would pick, for the class of the value it was last picked for.
         */
        final TypeHandler<Object>[] resolved;
        final Class<?>[] resolvedFor;
        int pending;

        @SuppressWarnings("unchecked")
        Prepared(PreparedStatement statement, int[] valueIndex, TypeHandler<Object>[] handlers, JdbcType[] jdbcTypes) {
            this.statement = statement;
            this.valueIndex = valueIndex;
            this.handlers = handlers;
            this.jdbcTypes = jdbcTypes;
            this.resolved = new TypeHandler[handlers.length];
            this.resolvedFor = new Class<?>[handlers.length];
        }
    }

    private Copy activeCopy;

    /** A COPY statement: which row values it takes, in order; the open COPY while one is under way. */
    private static final class Copy {
        final String sql;
        final int[] valueIndex;
        final StringBuilder buffer = new StringBuilder(1 << 16);
        CopyIn copyIn;

        Copy(String sql, int[] valueIndex) {
            this.sql = sql;
            this.valueIndex = valueIndex;
        }
    }

    /**
     * How a row is written: a statement of the table's mapper, and where the mapper declares one and the
     * database has it, the statement's COPY counterpart (an upsert has none).
     */
    enum Write {
        INSERT("insert", "insertCopy"), INSERT_WITH_ID("insertWithId", "insertWithIdCopy"), UPSERT("upsert", null);

        final String method;
        final String copyMethod;

        Write(String method, String copyMethod) {
            this.method = method;
            this.copyMethod = copyMethod;
        }
    }

    RowSink(Connection connection, Configuration configuration) {
        this.connection = connection;
        this.configuration = configuration;
    }

    /** Where a table's rows written one way go: a COPY where the database has one, else a prepared statement. */
    private static final class Target {
        final String statementId;
        final Copy copy;
        Prepared prepared;

        Target(String statementId, Copy copy) {
            this.statementId = statementId;
            this.copy = copy;
        }
    }

    private final Target[][] targets = new Target[Table.values().length][Write.values().length];

    /** Adds a row (values in the table's column order), written as {@code write} says. */
    void add(Table table, Write write, Object[] values) throws SQLException {
        Target target = targets[table.ordinal()][write.ordinal()];
        if (target == null) {
            String copyId = write.copyMethod == null ? null : TableRows.statement(table, write.copyMethod);
            target = new Target(TableRows.statement(table, write.method),
                    copyId != null && configuration.hasStatement(copyId) ? copy(table, copyId) : null);
            targets[table.ordinal()][write.ordinal()] = target;
        }
        if (target.copy != null) {
            copy(target.copy, values);
            return;
        }
        endCopy();
        Prepared p = target.prepared;
        if (p == null) {
            p = prepare(table, target.statementId, values);
            prepared.put(target.statementId, p);
            target.prepared = p;
        }
        for (int i = 0; i < p.valueIndex.length; i++) {
            Object value = values[p.valueIndex[i]];
            TypeHandler<Object> handler = p.handlers[i];
            if (value != null && handler instanceof UnknownTypeHandler) {
                // what UnknownTypeHandler does for each value, once per class
                if (value.getClass() != p.resolvedFor[i]) {
                    p.resolved[i] = resolve(value.getClass(), p.jdbcTypes[i]);
                    p.resolvedFor[i] = value.getClass();
                }
                handler = p.resolved[i];
            }
            handler.setParameter(p.statement, i + 1, value, p.jdbcTypes[i]);
        }
        p.statement.addBatch();
        if (++p.pending >= BATCH_ROWS) {
            p.statement.executeBatch();
            p.pending = 0;
        }
    }

    /** The handler MyBatis' UnknownTypeHandler picks for a value of this class (ObjectTypeHandler if none fits). */
    @SuppressWarnings("unchecked")
    private TypeHandler<Object> resolve(Class<?> type, JdbcType jdbcType) {
        TypeHandler<?> handler = configuration.getTypeHandlerRegistry().getTypeHandler(type, jdbcType);
        if (handler == null || handler instanceof UnknownTypeHandler) {
            handler = new ObjectTypeHandler();
        }
        return (TypeHandler<Object>) handler;
    }

    /** Sends every pending row. */
    void flush() throws SQLException {
        endCopy();
        for (Prepared p : prepared.values()) {
            if (p.pending > 0) {
                p.statement.executeBatch();
                p.pending = 0;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Prepared prepare(Table table, String statementId, Object[] values) throws SQLException {
        MappedStatement ms = configuration.getMappedStatement(statementId);
        BoundSql bound = ms.getBoundSql(table.row(values));
        List<ParameterMapping> mappings = bound.getParameterMappings();
        List<Column> columns = table.columns();
        int[] index = new int[mappings.size()];
        TypeHandler<Object>[] handlers = new TypeHandler[mappings.size()];
        JdbcType[] jdbcTypes = new JdbcType[mappings.size()];
        for (int i = 0; i < mappings.size(); i++) {
            ParameterMapping m = mappings.get(i);
            index[i] = -1;
            for (int c = 0; c < columns.size(); c++) {
                if (camelCase(columns.get(c).name()).equals(m.getProperty())) {
                    index[i] = c;
                }
            }
            if (index[i] < 0) {
                throw new IllegalStateException(statementId + " takes " + m.getProperty() + ", not a column of "
                        + table.tableName());
            }
            handlers[i] = (TypeHandler<Object>) m.getTypeHandler();
            jdbcTypes[i] = m.getJdbcType() != null ? m.getJdbcType() : configuration.getJdbcTypeForNull();
        }
        return new Prepared(connection.prepareStatement(bound.getSql()), index, handlers, jdbcTypes);
    }

    private Copy copy(Table table, String copyId) {
        String sql = configuration.getMappedStatement(copyId).getBoundSql(null).getSql();
        // the column list of "COPY table (a, b, c) FROM STDIN ..."
        String list = sql.substring(sql.indexOf('(') + 1, sql.indexOf(')'));
        String[] names = list.split(",");
        int[] index = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = names[i].strip();
            index[i] = -1;
            for (int c = 0; c < table.columns().size(); c++) {
                if (table.columns().get(c).name().equals(name)) {
                    index[i] = c;
                }
            }
            if (index[i] < 0) {
                throw new IllegalStateException(copyId + " copies " + name + ", not a column of " + table.tableName());
            }
        }
        return new Copy(sql, index);
    }

    private void copy(Copy copy, Object[] values) throws SQLException {
        if (activeCopy != copy) {
            endCopy();
            for (Prepared p : prepared.values()) {
                if (p.pending > 0) {
                    p.statement.executeBatch();
                    p.pending = 0;
                }
            }
            copy.copyIn = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.sql);
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

    static String camelCase(String column) {
        StringBuilder s = new StringBuilder(column.length());
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                s.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return s.toString();
    }

    /** Drops what is under way: an open COPY is cancelled (its rows are not written). */
    void abort() throws SQLException {
        Copy copy = activeCopy;
        activeCopy = null;
        if (copy != null && copy.copyIn != null && copy.copyIn.isActive()) {
            copy.copyIn.cancelCopy();
        }
    }

    @Override
    public void close() throws SQLException {
        abort();
        for (Prepared p : prepared.values()) {
            p.statement.close();
        }
    }
}
