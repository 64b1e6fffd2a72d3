package ispdb.db;

import java.time.LocalDateTime;
import org.apache.ibatis.session.SqlSession;

/**
 * The customers' purchase summaries (customer_purchase_summary): one row per customer with a transaction, its first
 * and last transaction, purchase days, transactions and totals, computed from the transactions by one statement
 * (AnalysisMapper.xml's "purchaseSummaries") and kept up to date by every write of transactions, in its transaction:
 * the touched customers' rows are made again from their transactions (read by the customer_id index), so a load
 * costs its customers, not the history. The readers (refresh-customer-stats, rfm-summary, predict, report) take
 * them when they stand for every transaction the reader wants ({@link #cover}).
 */
public final class PurchaseSummaries {
    /** Customers per statement (one JSON array parameter). */
    static final int CHUNK = 5000;

    private PurchaseSummaries() {
    }

    /**
     * Whether the summaries hold every transaction up to {@code asOf} and no later one: as-of is at or after the latest
     * transaction ({@code latest}; null: there are none), or not given.
     */
    public static boolean cover(LocalDateTime asOf, LocalDateTime latest) {
        return latest != null && (asOf == null || !asOf.isBefore(latest));
    }

    /**
     * Makes the summaries of these customers (ascending) again from their transactions, in the session's transaction.
     * Each chunk's summary rows are locked first, in customer order (a placeholder inserted for a customer without
     * one), and only then are their transactions read: another load of the same customers at once (on a server)
     * waits for those rows until this one ends, and then reads this one's transactions with its own (a load reads
     * what others committed: Database.loadSession); in customer order, two loads never wait for each other's rows.
     */
    public static void recompute(SqlSession session, long[] customers) {
        AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
        for (int from = 0; from < customers.length; from += CHUNK) {
            String chunk = JsonIds.of(customers, from, Math.min(from + CHUNK, customers.length));
            mapper.lockPurchaseSummaries(chunk);
            mapper.deletePurchaseSummaries(chunk);
            mapper.insertPurchaseSummaries(chunk, null);
        }
    }

    /**
     * Makes every summary again from all the transactions (one grouping of them), in the session's transaction, and
     * the revenue per month ({@link MonthlyRevenues}): what is derived from the transactions, all of it. On PostgreSQL
     * the two tables are held against other writers first (SessionMapper.xml's "lockDerivedTables").
     */
    public static void rebuild(SqlSession session) {
        SessionSetup.run(session, SessionSetup.Setting.LOCK_DERIVED_TABLES);
        AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
        mapper.deletePurchaseSummaries(null);
        mapper.insertPurchaseSummaries(null, null);
        MonthlyRevenues.rebuild(session);
    }
}
