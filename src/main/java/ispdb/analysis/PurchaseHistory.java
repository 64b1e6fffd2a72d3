package ispdb.analysis;

/**
 * A customer's purchase history as the repeat-purchase models take it (lifetimes' frequency, recency and T): repeat
 * purchase days (x), and weeks from the first purchase to the last (t_x) and to the end of observation (T).
 */
public record PurchaseHistory(long frequency, double recency, double t) {
}
