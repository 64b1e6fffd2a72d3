package ispdb.db;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ibatis.session.SqlSession;

/**
 * The revenue per month and payment method (monthly_revenue): one row per calendar month and payment method with a
 * transaction, computed from the transactions by one statement (AnalysisMapper.xml's "monthlyRevenueOf") and kept up
 * to date by every write of transactions, in its transaction: the months and payment methods it touched are made
 * again from their transactions (read by the transaction_date index), so a load costs its months, not the history. The report reads
 * the months before as-of's from it.
 */
public final class MonthlyRevenues {
    private MonthlyRevenues() {
    }

    /**
     * Makes the revenue of these months and payment methods again from their transactions, in the session's
     * transaction: per month (ascending), the rows of its payment methods are locked first, in payment method order
     * (a placeholder inserted for one without a row), and only then are their transactions read, as {@link
     * PurchaseSummaries#recompute} does for the summaries (which a load makes again before the months).
     *
     * @param methods the payment methods of each month whose revenue changed
     */
    public static void recompute(SqlSession session, Map<YearMonth, ? extends Collection<Long>> methods) {
        AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
        for (Map.Entry<YearMonth, ? extends Collection<Long>> month : new TreeMap<>(methods).entrySet()) {
            long[] ids = month.getValue().stream().mapToLong(Long::longValue).sorted().distinct().toArray();
            String json = JsonIds.of(ids, 0, ids.length);
            String name = month.getKey().toString();
            LocalDateTime from = month.getKey().atDay(1).atStartOfDay();
            mapper.lockMonthlyRevenue(name, json);
            mapper.deleteMonthlyRevenue(name, json);
            mapper.insertMonthlyRevenue(from, from.plusMonths(1), null, json);
        }
    }

    /** Makes every month's revenue again from all the transactions (one grouping of them), in the session's transaction. */
    public static void rebuild(SqlSession session) {
        AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
        mapper.deleteMonthlyRevenue(null, null);
        mapper.insertMonthlyRevenue(null, null, null, null);
    }
}
