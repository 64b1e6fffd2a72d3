package ispdb.db;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.Collection;
import java.util.TreeSet;
import org.apache.ibatis.session.SqlSession;

/**
 * The revenue per month and payment method (monthly_revenue): one row per calendar month and payment method with a
 * transaction, computed from the transactions by one statement (AnalysisMapper.xml's "monthlyRevenueOf") and kept up
 * to date by every write of transactions, in its transaction: the months it touched are made again from their
 * transactions (read by the transaction_date index), so a load costs its months, not the history. The report reads
 * the months before as-of's from it.
 */
public final class MonthlyRevenues {
    private MonthlyRevenues() {
    }

    /** Makes the revenue of these months again from their transactions, in the session's transaction. */
    public static void recompute(SqlSession session, Collection<YearMonth> months) {
        AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
        for (YearMonth month : new TreeSet<>(months)) {
            LocalDateTime from = month.atDay(1).atStartOfDay();
            mapper.deleteMonthlyRevenue(month.toString());
            mapper.insertMonthlyRevenue(from, from.plusMonths(1), null);
        }
    }

    /** Makes every month's revenue again from all the transactions (one grouping of them), in the session's transaction. */
    public static void rebuild(SqlSession session) {
        AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
        mapper.deleteMonthlyRevenue(null);
        mapper.insertMonthlyRevenue(null, null, null);
    }
}
