package ispdb.analysis;

import ispdb.Interruption;
import ispdb.IspdbException;
import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.db.PurchaseSummaries;
import ispdb.model.CustomerCounts;
import java.sql.SQLException;
import java.time.LocalDateTime;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** refresh-customer-stats: each customer's dates, survival_time and event_observed from its transactions. */
public final class CustomerStats {
    /**
     * What a refresh did: as of when, from which last transaction on a customer counts as churned, how many
     * customers there are, how many have transactions up to as-of (and were recomputed), and how many rows
     * changed. {@code asOf} is null when there are no transactions at all.
     */
    public record Result(LocalDateTime asOf, LocalDateTime churnedBefore, long customers, long withTransactions,
            long changed) {
        public long withoutTransactions() {
            return customers - withTransactions;
        }
    }

    private CustomerStats() {
    }

    /**
     * Recomputes the stats in one transaction.
     *
     * @param asOf       the end of observation; null: the latest transaction_date
     * @param churnAfter a customer whose last transaction is more than this many days before as-of churned
     * @param full       first make every customer's purchase summary again from all the transactions (the
     *                   summaries the loads keep, which the stats are read from when as-of is at or after the latest
     *                   transaction)
     */
    public static Result refresh(Database db, LocalDateTime asOf, int churnAfter, boolean full) {
        db.useMappers(AnalysisMapper.class);
        try (SqlSession session = db.writeSession(ExecutorType.SIMPLE)) {
            AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
            if (full) {
                PurchaseSummaries.rebuild(session);
            }
            LocalDateTime latest = mapper.latestTransactionDate();
            LocalDateTime end = asOf != null ? asOf : latest;
            if (end == null) {
                CustomerCounts counts = mapper.customerCounts(null, false);
                Interruption.commit(() -> session.commit(true));
                return new Result(null, null, counts.customers(), 0, 0);
            }
            boolean fromSummary = PurchaseSummaries.cover(end, latest);
            LocalDateTime churnedBefore = end.minusDays(churnAfter);
            CustomerCounts counts = mapper.customerCounts(end, fromSummary);
            int changed = mapper.refreshCustomerStats(end, churnedBefore, fromSummary);
            Interruption.commit(() -> session.commit(true));
            return new Result(end, churnedBefore, counts.customers(), counts.withTransactions(), changed);
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException | SQLException e) {
            throw db.failure("refresh the customer stats (nothing was changed)", e);
        }
    }
}
