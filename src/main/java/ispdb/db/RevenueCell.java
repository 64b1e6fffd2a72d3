package ispdb.db;

import java.time.LocalDateTime;

/**
 * Where a transaction counts in monthly_revenue: its date (whose calendar month is the row's) and its payment
 * method.
 */
public record RevenueCell(LocalDateTime transactionDate, long paymentMethodId) {
}
