package ispdb.model;

/**
 * The report's headline numbers: customers; transactions and their revenue up to as-of; customers whose churn is
 * known (event_observed not null) and those who churned.
 */
public record Headline(long customers, long transactions, double revenue, long withStatus, long churned) {
}
