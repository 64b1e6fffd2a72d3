package ispdb.db;

import ispdb.model.Prediction;

/** clv_prediction. {@link #insert} appends a prediction and the database assigns its prediction_id. */
public interface PredictionMapper extends TableMapper<Prediction> {
    /** Appends a prediction with the prediction_id it has. */
    void insertWithId(Prediction row);

    /** Appends a prediction and sets {@code holder.predictionId} to the id the database gave it. */
    void insertReturningId(PredictionWithId holder);

    /**
     * The prediction_id of the prediction for this customer made at exactly this time (to the microsecond), or
     * null: whether a retried record-prediction's earlier attempt committed.
     */
    Long recordedAt(@org.apache.ibatis.annotations.Param("customerId") long customerId,
            @org.apache.ibatis.annotations.Param("predictedAt") java.time.LocalDateTime predictedAt);

    /** After rows with explicit ids: moves the id sequence past them (PostgreSQL; a no-op elsewhere). */
    void syncIdSequence();

    /** The parameter of {@link #insertReturningId}: a prediction, and a place for its new id. */
    final class PredictionWithId {
        public final Prediction row;
        public Long predictionId;

        public PredictionWithId(Prediction row) {
            this.row = row;
        }
    }
}
