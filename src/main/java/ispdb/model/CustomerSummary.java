package ispdb.model;

import java.time.LocalDateTime;

/** A customer with its latest prediction, if any (the prediction fields are then null): a row of list-customers. */
public record CustomerSummary(long customerId, Integer age, String gender, LocalDateTime firstTransactionDate,
        LocalDateTime lastTransactionDate, Integer survivalTime, Boolean eventObserved, Long predictionId,
        Double clv, String predictedCustomerType, Boolean isCampaign1Success, Boolean isCampaign2Success,
        LocalDateTime predictedAt) {
}
