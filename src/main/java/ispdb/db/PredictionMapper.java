package ispdb.db;

import ispdb.model.Prediction;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;

/** clv_prediction. */
public interface PredictionMapper extends BulkLoadStatements {
    /** Appends a prediction; the database assigns prediction_id. */
    void insert(Prediction row);

    /** Appends a prediction with the prediction_id it has. */
    void insertWithId(Prediction row);

    /** Appends a prediction and sets {@code holder.predictionId} to the id the database gave it. */
    void insertReturningId(PredictionWithId holder);

    void upsert(Prediction row);

    /**
     * The prediction_id of the prediction for this customer made at exactly this time (to the microsecond), or
     * null: whether a retried record-prediction's earlier attempt committed.
     */
    Long recordedAt(@org.apache.ibatis.annotations.Param("customerId") long customerId,
            @org.apache.ibatis.annotations.Param("predictedAt") java.time.LocalDateTime predictedAt);

    void selectIds(ResultHandler<Long> handler);

    /** Every row, in key order, streamed (export, copy). */
    Cursor<Prediction> inKeyOrder();

    /**
     * PostgreSQL only: the {@code COPY ... FROM STDIN} that RowSink streams the rows of {@code insert} through
     * (it reads the statement's SQL; the method itself is not called).
     */
    void insertCopy();

    /** PostgreSQL only: the COPY of {@code insertWithId}, as {@link #insertCopy}. */
    void insertWithIdCopy();

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
