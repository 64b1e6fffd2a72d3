package ispdb.db;

import ispdb.model.Table;
import java.sql.Connection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.defaults.DefaultSqlSession;
import org.apache.ibatis.transaction.managed.ManagedTransaction;

/** A table's rows through its mapper: the one place that picks a table's mapper. */
public final class TableRows {
    private static final Map<Table, Class<? extends TableMapper<?>>> MAPPER = new EnumMap<>(Map.of(
            Table.PAYMENT_METHOD, PaymentMethodMapper.class, Table.CUSTOMER, CustomerMapper.class,
            Table.TRANSACTION, TransactionMapper.class, Table.PREDICTION, PredictionMapper.class));

    /** The mappers of the four tables and the load journal, for {@link Database#useMappers}. */
    public static final List<Class<?>> MAPPERS = List.of(PaymentMethodMapper.class, CustomerMapper.class,
            TransactionMapper.class, PredictionMapper.class, LoadJournalMapper.class);

    private TableRows() {
    }

    /** The table's mapper, in the session; its rows are the table's row records ({@link Table#row}). */
    @SuppressWarnings("unchecked")
    public static TableMapper<Object> mapper(SqlSession session, Table table) {
        return (TableMapper<Object>) session.getMapper(MAPPER.get(table));
    }

    /**
     * A session on a connection that another session owns (the load's: the same transaction), whose table mapper
     * calls of insert and upsert send the rows in JDBC batches ({@link RowBatchExecutor}) when its statements are
     * flushed; {@code manyRows} (a Spider head): as INSERTs of many rows where the database has that form. It
     * never commits, rolls back or closes the connection; the owner does.
     */
    public static SqlSession batches(Configuration configuration, Connection connection, boolean manyRows) {
        return new DefaultSqlSession(configuration,
                new RowBatchExecutor(configuration, new ManagedTransaction(connection, false), manyRows), false);
    }

    /** Every key of the table, in no particular order, streamed to {@code keys}. */
    public static void selectIds(SqlSession session, Table table, LongConsumer keys) {
        mapper(session, table).selectIds(context -> keys.accept(context.getResultObject()));
    }

    /**
     * Every row of the table, in key order, as its row record, streamed: the session's fetch size applies (on
     * PostgreSQL a cursor, since sessions do not auto-commit; on MariaDB a streaming result set).
     */
    public static Cursor<?> inKeyOrder(SqlSession session, Table table) {
        return mapper(session, table).inKeyOrder();
    }
}
