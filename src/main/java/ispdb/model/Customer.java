package ispdb.model;

import java.time.LocalDateTime;

/** A row of dim_customer. */
public record Customer(long customerId, Integer age, String gender, LocalDateTime firstTransactionDate,
        LocalDateTime lastTransactionDate, Integer survivalTime, Boolean eventObserved) {
}
