package ispdb.model;

import java.time.LocalDateTime;

/** A row of clv_prediction; a null predictionId is assigned by the database. */
public record Prediction(Long predictionId, long customerId, double clv, String predictedCustomerType,
        Boolean isCampaign1Success, Boolean isCampaign2Success, LocalDateTime predictedAt) {
}
