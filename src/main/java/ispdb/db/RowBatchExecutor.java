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
 */
final class RowBatchExecutor extends BaseExecutor {
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

        @SuppressWarnings("unchecked")
        Binding(MappedStatement statement, Object row) {
            if (!(statement.getSqlSource() instanceof RawSqlSource) || !row.getClass().isRecord()) {
                throw new IllegalStateException(statement.getId() + " takes a " + row.getClass().getSimpleName()
                        + ": a batch of rows takes records, into static SQL");
            }
            this.statement = statement;
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

    RowBatchExecutor(Configuration configuration, Transaction transaction) {
        super(configuration, transaction);
    }

    @Override
    protected int doUpdate(MappedStatement ms, Object row) throws SQLException {
        Binding b = bindings.get(ms);
        if (b == null) {
            b = new Binding(ms, row);
            bindings.put(ms, b);
        }
        if (b.prepared == null) {
            b.prepared = getConnection(ms.getStatementLog()).prepareStatement(b.sql);
        }
        if (!b.hasRows) {
            b.hasRows = true;
            pending.add(b);
        }
        PreparedStatement ps = b.prepared;
        for (int i = 0; i < b.components.length; i++) {
            Object value;
            try {
                value = b.components[i].invoke(row);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(ms.getId() + ": cannot read " + b.components[i].getName(), e);
            }
            JdbcType jdbcType = value == null && b.jdbcTypes[i] == null ? configuration.getJdbcTypeForNull()
                    : b.jdbcTypes[i];
            b.handlers[i].setParameter(ps, i + 1, value, jdbcType);
        }
        ps.addBatch();
        return BatchExecutor.BATCH_UPDATE_RETURN_VALUE;
    }

    @Override
    protected List<BatchResult> doFlushStatements(boolean isRollback) throws SQLException {
        List<BatchResult> results = new ArrayList<>();
        try {
            for (Binding b : pending) {
                if (isRollback) {
                    b.prepared.clearBatch();
                    continue;
                }
                BatchResult result = new BatchResult(b.statement, b.sql);
                try {
                    result.setUpdateCounts(b.prepared.executeBatch());
                } catch (BatchUpdateException e) {
                    throw new BatchExecutorException(b.statement.getId() + " failed", e, results, result);
                }
                results.add(result);
            }
        } finally {
            for (Binding b : pending) {
                b.hasRows = false;
            }
            pending.clear();
            if (isRollback) {
                // a rollback ends the session's use (its close rolls back): the statements go
                for (Binding b : bindings.values()) {
                    closeStatement(b.prepared);
                    b.prepared = null;
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
