package ispdb.db;

import ispdb.model.Prediction;

/** clv_prediction. {@link #insert} appends a prediction and the database assigns its prediction_id. */
public interface PredictionMapper extends TableMapper<Prediction>, CustomerRowMapper {
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

    /**
     * prune-predictions, one batch: deletes the predictions of customers {@code from} (inclusive) to {@code to}
     * (exclusive; null: no end) that have more than {@code newer} later predictions of their customer (by
     * predicted_at, then prediction_id: the order of the latest prediction), made before {@code before} if it is not
     * null; returns how many it deleted.
     */
    int prune(@org.apache.ibatis.annotations.Param("from") long from, @org.apache.ibatis.annotations.Param("to") Long to, @org.apache.ibatis.annotations.Param("newer") int newer,
            @org.apache.ibatis.annotations.Param("before") java.time.LocalDateTime before);

    /** What {@link #prune} would delete, without deleting it: how many, and when the oldest and newest were made. */
    ispdb.model.PredictionCount countPrunable(@org.apache.ibatis.annotations.Param("from") long from, @org.apache.ibatis.annotations.Param("to") Long to,
            @org.apache.ibatis.annotations.Param("newer") int newer, @org.apache.ibatis.annotations.Param("before") java.time.LocalDateTime before);

    /** The smallest customer_id with a prediction at or after {@code from}, or null. */
    Long firstCustomerFrom(@org.apache.ibatis.annotations.Param("from") long from);

    /** The customer_id of the prediction {@code rows} further than the first of {@code from} on, in customer order, or null. */
    Long customerAfter(@org.apache.ibatis.annotations.Param("from") long from, @org.apache.ibatis.annotations.Param("rows") long rows);

    /** The parameter of {@link #insertReturningId}: a prediction, and a place for its new id. */
    final class PredictionWithId {
        public final Prediction row;
        public Long predictionId;

        public PredictionWithId(Prediction row) {
            this.row = row;
        }
    }
}
