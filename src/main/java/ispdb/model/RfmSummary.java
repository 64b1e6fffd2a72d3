package ispdb.model;

/**
 * A row of rfm-summary, as lifetimes' summary_data_from_transaction_data defines it: repeat periods with a
 * purchase ({@code frequency}), periods from the first purchase to the last ({@code recency}) and to the end of
 * observation ({@code t}), and the mean of the repeat periods' amounts ({@code monetaryValue}, 0 without any).
 */
public record RfmSummary(long customerId, long frequency, double recency, double t, double monetaryValue) {
}
