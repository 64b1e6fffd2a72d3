package ispdb.model;

/**
 * A row of predict: a customer's rfm-summary (recency and T in weeks), the BG/NBD probability of being alive and
 * expected purchases over the horizon, the Gamma-Gamma expected spend per purchase, the discounted CLV, and the
 * provider's customer type (Star, Vulnerable, Free Rider, Lost Cause).
 */
public record ClvEstimate(long customerId, long frequency, double recency, double t, double monetaryValue,
        double pAlive, double expectedPurchases, double expectedAverageValue, double clv, String customerType) {
}
