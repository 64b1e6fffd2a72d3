package ispdb.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.executor.BaseExecutor;
import org.apache.ibatis.executor.BatchExecutor;
import org.apache.ibatis.executor.BatchExecutorException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.scripting.defaults.RawSqlSource;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;
import org.apache.ibatis.transaction.Transaction;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.TypeHandler;

/**
 * MyBatis' BATCH executor, for a load's rows: every call of a table mapper's insert or upsert becomes one row of a JDBC
 * batch of its statement, sent when the session's statements are flushed (MariaDB: one bulk command; SQLite: in the
 * load's one transaction). Unlike {@link BatchExecutor} it works out once per statement how a row record's
 * components bind to its parameters, instead of once per row (a statement handler, a parameter handler and a
 * reflective lookup per value): a load writes millions of rows, and that per-row work showed in its time. It
 * keeps one prepared statement per mapped statement for the session's life. Rows are records; statements are
 * static SQL (no dynamic elements); it runs no queries.
 *
 * <p>On a Spider head ({@code manyRows}), where the database has a statement's form for many rows (the statement of
 * the same name with {@code Rows} appended, taking the rows as {@code rows}: MariaDB's INSERT of many rows), the
 * rows go as such statements of up to
 * {@link #MANY_ROWS} rows instead of a JDBC batch, bound by the same plan (the form's values are the one-row
 * statement's, row by row): through a Spider head, a JDBC batch of one-row INSERTs reaches each backend as one
 * statement per row, an INSERT of many rows as one statement per backend. (Into one server, the JDBC batch, one
 * bulk command of binary values, costs less.)
 */
final class RowBatchExecutor extends BaseExecutor {
    /** The most rows in one statement of a many-rows form. */
    static final int MANY_ROWS = 1000;
    private final Map<MappedStatement, Binding> bindings = new HashMap<>();
    /** The statements with rows not yet sent, in the order of their first row. */
    private final List<Binding> pending = new ArrayList<>();

    /** A statement, prepared, and for each of its parameters the component that gives it and how it binds. */
    private static final class Binding {
        final MappedStatement statement;
        final String sql;
        final Method[] components;
        final TypeHandler<Object>[] handlers;
        final JdbcType[] jdbcTypes;
        PreparedStatement prepared;
        boolean hasRows;
        /** The statement's form for many rows, if the database has one; null: its rows go as a JDBC batch. */
        final MappedStatement manyRows;
        /** The rows not yet sent, for the form for many rows. */
        final List<Object> rows = new ArrayList<>();
        /** The form for many rows, for {@link #MANY_ROWS} rows, prepared (a batch of fewer is prepared for once). */
        PreparedStatement preparedMany;

        @SuppressWarnings("unchecked")
        Binding(MappedStatement statement, Object row, boolean manyRows) {
            if (!(statement.getSqlSource() instanceof RawSqlSource) || !row.getClass().isRecord()) {
                throw new IllegalStateException(statement.getId() + " takes a " + row.getClass().getSimpleName()
                        + ": a batch of rows takes records, into static SQL");
            }
            this.statement = statement;
            String many = statement.getId() + "Rows";
            Configuration configuration = statement.getConfiguration();
            this.manyRows = manyRows && configuration.hasStatement(many) ? configuration.getMappedStatement(many)
                    : null;
            BoundSql bound = statement.getBoundSql(row);
            this.sql = bound.getSql();
            List<ParameterMapping> mappings = bound.getParameterMappings();
            Map<String, Method> accessors = new HashMap<>();
            for (RecordComponent c : row.getClass().getRecordComponents()) {
                accessors.put(c.getName(), c.getAccessor());
            }
            components = new Method[mappings.size()];
            handlers = new TypeHandler[mappings.size()];
            jdbcTypes = new JdbcType[mappings.size()];
            for (int i = 0; i < mappings.size(); i++) {
                ParameterMapping m = mappings.get(i);
                components[i] = accessors.get(m.getProperty());
                if (components[i] == null) {
                    throw new IllegalStateException(statement.getId() + " takes " + m.getProperty() + ", not a "
                            + "component of " + row.getClass().getSimpleName());
                }
                handlers[i] = (TypeHandler<Object>) m.getTypeHandler();
                jdbcTypes[i] = m.getJdbcType();
            }
        }
    }

    /** Whether statements with a form for many rows send their rows that way. */
    private final boolean manyRows;

    RowBatchExecutor(Configuration configuration, Transaction transaction, boolean manyRows) {
        super(configuration, transaction);
        this.manyRows = manyRows;
    }

    @Override
    protected int doUpdate(MappedStatement ms, Object row) throws SQLException {
        Binding b = bindings.get(ms);
        if (b == null) {
            b = new Binding(ms, row, manyRows);
            bindings.put(ms, b);
        }
        if (!b.hasRows) {
            b.hasRows = true;
            pending.add(b);
        }
        if (b.manyRows != null) {
            b.rows.add(row);
            return BatchExecutor.BATCH_UPDATE_RETURN_VALUE;
        }
        if (b.prepared == null) {
            b.prepared = getConnection(ms.getStatementLog()).prepareStatement(b.sql);
        }
        bind(b, b.prepared, 0, row);
        b.prepared.addBatch();
        return BatchExecutor.BATCH_UPDATE_RETURN_VALUE;
    }

    /** Binds a row's values to the statement's parameters from {@code offset} on (0: the first). */
    private void bind(Binding b, PreparedStatement ps, int offset, Object row) throws SQLException {
        for (int i = 0; i < b.components.length; i++) {
            Object value;
            try {
                value = b.components[i].invoke(row);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(b.statement.getId() + ": cannot read " + b.components[i].getName(), e);
            }
            JdbcType jdbcType = value == null && b.jdbcTypes[i] == null ? configuration.getJdbcTypeForNull()
                    : b.jdbcTypes[i];
            b.handlers[i].setParameter(ps, offset + i + 1, value, jdbcType);
        }
    }

    /**
     * Sends rows as one statement of the form for many rows: its SQL for that many rows is made once (MyBatis'
     * dynamic SQL, from the first rows given), and checked to take, row by row, the one-row statement's values.
     */
    private int sendMany(Binding b, List<Object> rows) throws SQLException {
        boolean full = rows.size() == MANY_ROWS;
        PreparedStatement ps = full ? b.preparedMany : null;
        if (ps == null) {
            BoundSql bound = b.manyRows.getBoundSql(Map.of("rows", rows));
            List<ParameterMapping> mappings = bound.getParameterMappings();
            int k = b.components.length;
            boolean same = mappings.size() == rows.size() * k;
            for (int i = 0; same && i < mappings.size(); i++) {
                String property = mappings.get(i).getProperty();
                same = property.substring(property.indexOf('.') + 1).equals(b.components[i % k].getName());
            }
            if (!same) {
                throw new IllegalStateException(b.manyRows.getId() + " does not take the values of "
                        + b.statement.getId() + ", row by row");
            }
            ps = getConnection(b.manyRows.getStatementLog()).prepareStatement(bound.getSql());
            if (full) {
                b.preparedMany = ps;
            }
        }
        try {
            for (int r = 0; r < rows.size(); r++) {
                bind(b, ps, r * b.components.length, rows.get(r));
            }
            return ps.executeUpdate();
        } finally {
            if (!full) {
                closeStatement(ps);
            }
        }
    }

    @Override
    protected List<BatchResult> doFlushStatements(boolean isRollback) throws SQLException {
        List<BatchResult> results = new ArrayList<>();
        try {
            for (Binding b : pending) {
                if (isRollback) {
                    if (b.prepared != null) {
                        b.prepared.clearBatch();
                    }
                    continue;
                }
                BatchResult result = new BatchResult(b.statement, b.sql);
                if (b.manyRows != null) {
                    int[] counts = new int[(b.rows.size() + MANY_ROWS - 1) / MANY_ROWS];
                    for (int from = 0, i = 0; from < b.rows.size(); from += MANY_ROWS, i++) {
                        counts[i] = sendMany(b, b.rows.subList(from, Math.min(from + MANY_ROWS, b.rows.size())));
                    }
                    result.setUpdateCounts(counts);
                } else {
                    try {
                        result.setUpdateCounts(b.prepared.executeBatch());
                    } catch (BatchUpdateException e) {
                        throw new BatchExecutorException(b.statement.getId() + " failed", e, results, result);
                    }
                }
                results.add(result);
            }
        } finally {
            for (Binding b : pending) {
                b.hasRows = false;
                b.rows.clear();
            }
            pending.clear();
            if (isRollback) {
                // a rollback ends the session's use (its close rolls back): the statements go
                for (Binding b : bindings.values()) {
                    closeStatement(b.prepared);
                    b.prepared = null;
                    closeStatement(b.preparedMany);
                    b.preparedMany = null;
                }
            }
        }
        return results;
    }

    @Override
    protected <E> List<E> doQuery(MappedStatement ms, Object parameter, RowBounds rowBounds,
            ResultHandler resultHandler, BoundSql boundSql) {
        throw new UnsupportedOperationException(ms.getId() + ": a batch of rows reads nothing");
    }

    @Override
    protected <E> Cursor<E> doQueryCursor(MappedStatement ms, Object parameter, RowBounds rowBounds,
            BoundSql boundSql) {
        throw new UnsupportedOperationException(ms.getId() + ": a batch of rows reads nothing");
    }
}
