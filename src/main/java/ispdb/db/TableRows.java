package ispdb.db;

import ispdb.model.Table;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.SqlSession;

/** A table's rows as its mapper streams them: the one place that picks a table's mapper. */
public final class TableRows {
    /** The mappers of the four tables and the load journal, for {@link Database#useMappers}. */
    public static final List<Class<?>> MAPPERS = List.of(PaymentMethodMapper.class, CustomerMapper.class,
            TransactionMapper.class, PredictionMapper.class, LoadJournalMapper.class);

    private TableRows() {
    }

    /** The table's mapper interface. */
    public static Class<?> mapper(Table table) {
        return switch (table) {
            case PAYMENT_METHOD -> PaymentMethodMapper.class;
            case CUSTOMER -> CustomerMapper.class;
            case TRANSACTION -> TransactionMapper.class;
            case PREDICTION -> PredictionMapper.class;
        };
    }

    /**
     * The id of the statement behind one of the table's mapper methods, for code that runs the statement
     * itself (RowSink binds rows to its SQL, or streams them through its COPY): the method must be declared.
     */
    public static String statement(Table table, String method) {
        Class<?> mapper = mapper(table);
        for (java.lang.reflect.Method m : mapper.getMethods()) {
            if (m.getName().equals(method)) {
                return mapper.getName() + "." + method;
            }
        }
        throw new IllegalArgumentException(mapper.getSimpleName() + " declares no " + method);
    }

    /**
     * The bulk-load statements of the table's mapper, or null where it has none on this database (a table whose
     * mapper does not declare them, or a database that has none for it).
     */
    public static BulkLoadStatements bulkLoad(SqlSession session, Table table) {
        Class<?> mapper = mapper(table);
        if (!BulkLoadStatements.class.isAssignableFrom(mapper)
                || !session.getConfiguration().hasStatement(mapper.getName() + ".beforeBulkLoad")) {
            return null;
        }
        return (BulkLoadStatements) session.getMapper(mapper);
    }

    /** Whether this database has the statement behind one of the table's mapper methods. */
    public static boolean has(SqlSession session, Table table, String method) {
        return session.getConfiguration().hasStatement(statement(table, method));
    }

    /** Every key of the table, in no particular order, streamed to {@code keys}. */
    public static void selectIds(SqlSession session, Table table, LongConsumer keys) {
        ResultHandler<Long> handler = context -> keys.accept(context.getResultObject());
        switch (table) {
            case PAYMENT_METHOD -> session.getMapper(PaymentMethodMapper.class).selectIds(handler);
            case CUSTOMER -> session.getMapper(CustomerMapper.class).selectIds(handler);
            case TRANSACTION -> session.getMapper(TransactionMapper.class).selectIds(handler);
            case PREDICTION -> session.getMapper(PredictionMapper.class).selectIds(handler);
        }
    }

    /**
     * Every row of the table, in key order, as its row record, streamed: the session's fetch size applies (on
     * PostgreSQL a cursor, since sessions do not auto-commit; on MariaDB a streaming result set).
     */
    public static Cursor<?> inKeyOrder(SqlSession session, Table table) {
        return switch (table) {
            case PAYMENT_METHOD -> session.getMapper(PaymentMethodMapper.class).inKeyOrder();
            case CUSTOMER -> session.getMapper(CustomerMapper.class).inKeyOrder();
            case TRANSACTION -> session.getMapper(TransactionMapper.class).inKeyOrder();
            case PREDICTION -> session.getMapper(PredictionMapper.class).inKeyOrder();
        };
    }
}
