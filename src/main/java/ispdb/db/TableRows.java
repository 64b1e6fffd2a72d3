package ispdb.db;

import ispdb.model.Table;
import java.util.List;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.SqlSession;

/** A table's rows as its mapper streams them: the one place that picks a table's mapper. */
public final class TableRows {
    /** The mappers of the four tables and the load journal, for {@link Database#useMappers}. */
    public static final List<Class<?>> MAPPERS = List.of(PaymentMethodMapper.class, CustomerMapper.class,
            TransactionMapper.class, PredictionMapper.class, LoadJournalMapper.class);

    private TableRows() {
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
