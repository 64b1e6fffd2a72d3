package ispdb.db;

import ispdb.model.CampaignResults;
import ispdb.model.ClvBin;
import ispdb.model.ClvRange;
import ispdb.model.CustomerCounts;
import ispdb.model.DailyPurchases;
import ispdb.model.HoldoutPurchases;
import ispdb.model.Headline;
import ispdb.model.MonthlyRevenue;
import ispdb.model.RfmSummary;
import ispdb.model.SurvivalCount;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/** The derived figures: customer stats, RFM, survival counts and the report's totals, computed in the database. */
public interface AnalysisMapper {
    /** The latest transaction_date, or null when there are no transactions. */
    LocalDateTime latestTransactionDate();

    /** All customers, and those with a transaction on or before {@code asOf} (none if it is null). */
    CustomerCounts customerCounts(@Param("asOf") LocalDateTime asOf);

    /**
     * Sets each customer's first and last transaction date, survival_time and event_observed from its
     * transactions on or before {@code asOf}; returns how many rows changed.
     */
    int refreshCustomerStats(@Param("asOf") LocalDateTime asOf, @Param("churnedBefore") LocalDateTime churnedBefore);

    /**
     * lifetimes' RFM summary. Parameters: {@code freq} ("D", "W", "M"), {@code periodDays} (a period's length in
     * days, a Double), {@code asOfPeriod} (the start of as-of's period, "YYYY-MM-DD") and {@code periodEnd} (the
     * start of the next period, a LocalDateTime).
     */
    Cursor<RfmSummary> rfmSummary(Map<String, Object> parameters);

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

    /** The report's headline: what existed at {@code asOf} (null: there are no transactions). */
    Headline headline(@Param("asOf") LocalDateTime asOf);

    List<MonthlyRevenue> monthlyRevenue(@Param("asOf") LocalDateTime asOf);

    ClvRange clvRange();

    List<ClvBin> clvHistogram(@Param("min") double min, @Param("width") double width, @Param("bins") int bins);

    List<CampaignResults> campaignResults();
}
