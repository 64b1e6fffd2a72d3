package ispdb.load;

import ispdb.db.PurchaseSummaries;
import ispdb.db.TransactionMapper;
import ispdb.model.Table;
import java.sql.SQLException;
import java.util.function.LongPredicate;
import org.apache.ibatis.session.SqlSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The customers whose purchase summaries a load changes: the customers of the transactions it writes and, for a
 * transaction an upsert replaces, the customer it had. At the end of the load, in its transaction, their summaries
 * are made again from their transactions ({@link PurchaseSummaries}); a bulk load (a large load into a small table)
 * makes all of them again instead, in one grouping of the transactions.
 */
final class TouchedCustomers {
    private static final Logger LOG = LogManager.getLogger(Loader.class);
    private static final int CUSTOMER = MovedRows.customerColumn(Table.TRANSACTION);
    private final KeySet customers = new KeySet();
    private boolean all;

    /** A bulk load of transactions: every summary is made again at the end. */
    void all() {
        all = true;
    }

    /**
     * The rows of a batch of transactions, before they are written (a null row ends the batch). {@code replaces}:
     * whether a key was in the table before the load, so that writing the row replaces a transaction (an upsert),
     * whose customer is then read first.
     */
    void writing(SqlSession session, RowSink sink, Object[][] batch, LongPredicate replaces) throws SQLException {
        if (!all) {
            ReplacedTransactions.read(session, sink, batch, replaces, values -> customers.add((Long) values[CUSTOMER]),
                    TransactionMapper::customersOf, former -> customers.add(former.customerId()));
        }
    }

    /** Makes the touched customers' summaries again, in the session's transaction (after every row is written). */
    void update(SqlSession session) {
        long started = System.nanoTime();
        if (all) {
            PurchaseSummaries.rebuild(session);
            LOG.info("purchase summaries: all made again from the transactions in {} ms",
                    (System.nanoTime() - started) / 1_000_000);
        } else if (!customers.isEmpty()) {
            PurchaseSummaries.recompute(session, customers.toArray());
            LOG.info("purchase summaries: {} customers' made again from their transactions in {} ms",
                    customers.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }
}
