package ispdb.model;

import java.time.LocalDateTime;

/** A row of dim_customer. */
public record Customer(long customerId, Integer age, String gender, LocalDateTime firstTransactionDate,
        LocalDateTime lastTransactionDate, Integer survivalTime, Boolean eventObserved) {
    /** The oldest age a customer may have: an older one is a typing error in the export. */
    public static final int MAX_AGE = 130;
}
