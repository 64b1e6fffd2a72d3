package ispdb.model;

/**
 * A customer's purchases in a holdout period: the days with a purchase (lifetimes' frequency_holdout) and the sum of
 * the amounts.
 */
public record HoldoutPurchases(long customerId, long purchases, double spend) {
}
