package ispdb.model;

/**
 * One day's purchases as the tracking curve counts them: the customers whose first purchase day it is, and the
 * repeat purchase days (customers who bought that day and on an earlier one). {@code day} is 'YYYY-MM-DD'.
 */
public record DailyPurchases(String day, long firstPurchases, long repeatPurchases) {
}
