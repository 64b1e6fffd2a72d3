package ispdb.db;

import ispdb.model.CustomerCounts;
import ispdb.model.DailyPurchases;
import ispdb.model.HoldoutPurchases;
import ispdb.model.Headline;
import ispdb.model.MonthlyRevenue;
import ispdb.model.ReportCustomer;
import ispdb.model.RfmSummary;
import ispdb.model.SurvivalCount;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;

/** The derived figures: customer stats, RFM, survival counts and the report's totals, computed in the database. */
public interface AnalysisMapper {
    /** The latest transaction_date, or null when there are no transactions. */
    LocalDateTime latestTransactionDate();

    /**
     * All customers, and those with a transaction on or before {@code asOf} (none if it is null); {@code
     * fromSummary}: counted from the purchase summaries (as-of is at or after the latest transaction).
     */
    CustomerCounts customerCounts(@Param("asOf") LocalDateTime asOf, @Param("fromSummary") boolean fromSummary);

    /**
     * Sets each customer's first and last transaction date, survival_time and event_observed from its
     * transactions on or before {@code asOf}; returns how many rows changed. {@code fromSummary}: the dates read from
     * the purchase summaries, which hold them when as-of is at or after the latest transaction.
     */
    int refreshCustomerStats(@Param("asOf") LocalDateTime asOf, @Param("churnedBefore") LocalDateTime churnedBefore,
            @Param("fromSummary") boolean fromSummary);

    /**
     * lifetimes' RFM summary. Parameters: {@code freq} ("D", "W", "M"), {@code periodDays} (a period's length in
     * days, a Double), {@code asOfPeriod} (the start of as-of's period, "YYYY-MM-DD") and {@code periodEnd} (the
     * start of the next period, a LocalDateTime).
     */
    Cursor<RfmSummary> rfmSummary(Map<String, Object> parameters);

    /**
     * {@link #rfmSummary} with periods of a day when as-of's day is on or after the latest transaction's, read from
     * the purchase summaries: the same rows. Parameters: {@code periodDays} (1.0) and {@code asOfPeriod}.
     */
    Cursor<RfmSummary> rfmSummaryOfDays(Map<String, Object> parameters);

    /**
     * Locks the purchase summary rows of these customers (a JSON array of their ids, ascending), in customer order,
     * inserting a placeholder row for a customer that has none: held until the transaction ends.
     */
    int lockPurchaseSummaries(@Param("customers") String customers);

    /** Deletes the purchase summaries of these customers (a JSON array of their ids; null: all of them). */
    int deletePurchaseSummaries(@Param("customers") String customers);

    /**
     * Computes the purchase summaries of these customers (a JSON array; null: all) from their transactions and inserts
     * them (after
     * {@link #deletePurchaseSummaries}); {@code until} null.
     */
    int insertPurchaseSummaries(@Param("customers") String customers, @Param("until") LocalDateTime until);

    /**
     * check: the customers whose stored purchase summary is not the one their transactions give (or who have one
     * without transactions, or transactions without one), in customer_id order; both parameters null.
     */
    Cursor<Long> disagreeingSummaries(@Param("customers") String customers, @Param("until") LocalDateTime until);

    /**
     * Each customer's purchase days and spend in a holdout period, by customer_id. Parameters: {@code freq} ("D"),
     * {@code holdoutStart} (the first moment of the holdout) and {@code periodEnd} (the moment after it), both
     * LocalDateTime.
     */
    List<HoldoutPurchases> holdoutPurchases(Map<String, Object> parameters);

    /**
     * Per day with a purchase before {@code periodEnd} (a LocalDateTime): first purchases and repeat purchase days,
     * by day. Parameters: {@code freq} ("D") and {@code periodEnd}.
     */
    List<DailyPurchases> dailyPurchases(Map<String, Object> parameters);

    /** Customers per group and survival_time; {@code by} is null, "gender" or "customer-type". */
    List<SurvivalCount> survivalCounts(@Param("by") String by);

    /**
     * The report's headline: what existed at {@code asOf} (null: there are no transactions); {@code fromSummary}: the
     * customers' totals read from the purchase summaries (as-of is at or after the latest transaction).
     */
    default Headline headline(LocalDateTime asOf, boolean fromSummary) {
        return headline(asOf, fromSummary, asOf, null);
    }

    /** {@link #headline(LocalDateTime, boolean)}; {@code until} is as-of, {@code customers} null. */
    Headline headline(@Param("asOf") LocalDateTime asOf, @Param("fromSummary") boolean fromSummary,
            @Param("until") LocalDateTime until, @Param("customers") String customers);

    /**
     * The report's revenue per month and payment method name, transactions up to {@code asOf}: every month read from
     * monthly_revenue when it holds every transaction up to as-of ({@code fromSummary}: as-of is at or after the
     * latest transaction), else the months before as-of's read from it and as-of's computed from its transactions.
     */
    default List<MonthlyRevenue> monthlyRevenue(LocalDateTime asOf, boolean fromSummary) {
        YearMonth month = YearMonth.from(asOf);
        return fromSummary ? monthlyRevenue(null, null, null, null)
                : monthlyRevenue(month.toString(), month.atDay(1).atStartOfDay(), null, asOf);
    }

    /**
     * {@link #monthlyRevenue(LocalDateTime, boolean)}: the kept months before {@code month} (null: all of them), and
     * the transactions {@code from} to {@code until} grouped (none if {@code month} is null).
     */
    List<MonthlyRevenue> monthlyRevenue(@Param("month") String month, @Param("from") LocalDateTime from,
            @Param("before") LocalDateTime before, @Param("until") LocalDateTime until);

    /**
     * Locks the monthly_revenue rows of a month ("YYYY-MM") and these payment methods (a JSON array of their ids,
     * ascending), in that order, inserting a placeholder row for one that has none: held until the transaction ends.
     */
    int lockMonthlyRevenue(@Param("month") String month, @Param("methods") String methods);

    /**
     * Deletes the revenue of a month ("YYYY-MM"; null: of all of them) and of these payment methods (a JSON array;
     * null: of all of them) from monthly_revenue.
     */
    int deleteMonthlyRevenue(@Param("month") String month, @Param("methods") String methods);

    /**
     * Computes the revenue per month and payment method of the transactions from {@code from} to before {@code
     * before} (both null: all of them) with these payment methods (a JSON array; null: all of them) and inserts it
     * into monthly_revenue (after {@link #deleteMonthlyRevenue}); {@code until} null.
     */
    int insertMonthlyRevenue(@Param("from") LocalDateTime from, @Param("before") LocalDateTime before,
            @Param("until") LocalDateTime until, @Param("methods") String methods);

    /**
     * check: the months ("YYYY-MM") whose stored revenue is not the one their transactions give (or that have one
     * without transactions, or transactions without one), in order, from the transactions whose customer and payment
     * method are there ({@code known}: true); the other parameters null.
     */
    Cursor<String> disagreeingMonths(@Param("from") LocalDateTime from, @Param("before") LocalDateTime before,
            @Param("until") LocalDateTime until, @Param("known") boolean known);

    /** The report: every customer with its latest prediction, streamed, in no particular order. */
    void reportCustomers(ResultHandler<ReportCustomer> handler);
}
