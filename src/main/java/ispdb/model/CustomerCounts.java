package ispdb.model;

/** How many customers there are, and how many of them have transactions (up to an as-of time). */
public record CustomerCounts(long customers, long withTransactions) {
}
