package ispdb.model;

import java.time.LocalDateTime;

/** A row of fact_transaction. */
public record Transaction(long transactionId, long customerId, long paymentMethodId, LocalDateTime transactionDate,
        double amount) {
}
