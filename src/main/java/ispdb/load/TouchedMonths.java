package ispdb.load;

import ispdb.db.MonthlyRevenues;
import ispdb.db.TransactionMapper;
import ispdb.model.Table;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.apache.ibatis.session.SqlSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The months and payment methods whose revenue (monthly_revenue) a load changes: those of the transactions it writes
 * and, for a transaction an upsert replaces, those it had. At the end of the load, in its transaction, their revenue
 * is made again from their transactions ({@link MonthlyRevenues}). A bulk load has none: its end makes every month
 * again with the purchase summaries ({@link TouchedCustomers#all}).
 */
final class TouchedMonths {
    private static final Logger LOG = LogManager.getLogger(Loader.class);
    private static final List<String> COLUMNS = Table.TRANSACTION.columns().stream().map(c -> c.name()).toList();
    private static final int DATE = COLUMNS.indexOf("transaction_date");
    private static final int METHOD = COLUMNS.indexOf("payment_method_id");
    private final Map<YearMonth, Set<Long>> methods = new HashMap<>();

    /**
     * The rows of a batch of transactions, before they are written (a null row ends the batch). {@code replaces}:
     * whether a key was in the table before the load, so that writing the row replaces a transaction (an upsert),
     * whose date and payment method are then read first.
     */
    void writing(SqlSession session, RowSink sink, Object[][] batch, LongPredicate replaces) throws SQLException {
        ReplacedTransactions.read(session, sink, batch, replaces,
                values -> add((LocalDateTime) values[DATE], (Long) values[METHOD]), TransactionMapper::cellsOf,
                former -> add(former.transactionDate(), former.paymentMethodId()));
    }

    private void add(LocalDateTime date, long method) {
        methods.computeIfAbsent(YearMonth.from(date), m -> new HashSet<>()).add(method);
    }

    /** Makes the touched months' revenue again, in the session's transaction (after every row is written). */
    void update(SqlSession session) {
        if (!methods.isEmpty()) {
            long started = System.nanoTime();
            MonthlyRevenues.recompute(session, methods);
            LOG.info("monthly revenue: {} months made again from their transactions in {} ms", methods.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
