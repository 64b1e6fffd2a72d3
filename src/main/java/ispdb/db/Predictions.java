package ispdb.db;

import ispdb.Interruption;
import ispdb.IspdbException;
import ispdb.model.Prediction;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** Appending one prediction, as cron jobs do. */
public final class Predictions {
    private Predictions() {
    }

    /** Appends a prediction made now (UTC) and returns its prediction_id; an unknown customer writes nothing. */
    public static long record(Database db, long customerId, double clv, String type, Boolean campaign1,
            Boolean campaign2) {
        return insert(db, made(customerId, clv, type, campaign1, campaign2));
    }

    /**
     * As {@link #record(Database, long, double, String, Boolean, Boolean)}, on a database opened for each attempt,
     * trying again after a lost connection or a conflict (see {@link Retry}). The prediction's predicted_at, set
     * once to the microsecond, is its token: an attempt first looks for the customer's prediction made at that time,
     * so that a commit whose answer was lost is not written twice.
     */
    public static long record(Supplier<Database> open, long customerId, double clv, String type,
            Boolean campaign1, Boolean campaign2) {
        Prediction prediction = made(customerId, clv, type, campaign1, campaign2);
        return Retry.exactlyOnce(open, db -> {
            db.requireSchema();
            return insert(db, prediction);
        }, db -> recorded(db, prediction), true);
    }

    private static Prediction made(long customerId, double clv, String type, Boolean campaign1, Boolean campaign2) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return new Prediction(null, customerId, clv, type, campaign1, campaign2, now);
    }

    private static Optional<Long> recorded(Database db, Prediction prediction) {
        db.useMappers(PredictionMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            return Optional.ofNullable(session.getMapper(PredictionMapper.class)
                    .recordedAt(prediction.customerId(), prediction.predictedAt()));
        } catch (RuntimeException e) {
            throw db.failure("find out whether the prediction was recorded", e);
        }
    }

    private static long insert(Database db, Prediction prediction) {
        PredictionMapper.PredictionWithId row = new PredictionMapper.PredictionWithId(prediction);
        db.useMappers(PredictionMapper.class);
        boolean known;
        try (SqlSession session = db.writeSession(ExecutorType.SIMPLE)) {
            known = session.getMapper(CustomerMapper.class).exists(prediction.customerId());
            if (known) {
                session.getMapper(PredictionMapper.class).insertReturningId(row);
                Interruption.commit(session::commit);
            }
        } catch (RuntimeException | SQLException e) {
            throw db.failure("record the prediction (nothing was written)", e);
        }
        if (!known) {
            throw IspdbException.rejected("unknown customer " + prediction.customerId() + ": dim_customer has no "
                    + "customer_id " + prediction.customerId() + "; nothing was written");
        }
        return row.predictionId;
    }
}
