package ispdb.load;

import ispdb.db.TransactionMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.apache.ibatis.session.SqlSession;

/**
 * A batch of transactions before it is written, as the loads' bookkeeping ({@link TouchedCustomers},
 * {@link TouchedMonths}) reads it: every row, and what each transaction that a row replaces (an upsert) held before,
 * read from the table in batches.
 */
final class ReplacedTransactions {
    private ReplacedTransactions() {
    }

    /**
     * Gives {@code row} every row of {@code batch} (a null row ends it); then, for the rows whose key {@code replaces}
     * says was in the table before the load, reads with {@code former} what the replaced transactions held and gives
     * each value to {@code formerValue}.
     */
    static <T> void read(SqlSession session, RowSink sink, Object[][] batch, LongPredicate replaces,
            Consumer<Object[]> row, BiFunction<TransactionMapper, List<Long>, List<T>> former,
            Consumer<? super T> formerValue) throws SQLException {
        List<Long> replaced = new ArrayList<>();
        for (Object[] values : batch) {
            if (values == null) {
                break;
            }
            row.accept(values);
            if (values[0] != null && replaces.test((Long) values[0])) {
                replaced.add((Long) values[0]);
            }
        }
        if (!replaced.isEmpty()) {
            sink.flush(); // an open COPY (PostgreSQL) ends before the connection takes another statement
            TransactionMapper mapper = session.getMapper(TransactionMapper.class);
            for (List<Long> chunk : RowSink.chunks(replaced)) {
                former.apply(mapper, chunk).forEach(formerValue);
            }
        }
    }
}
