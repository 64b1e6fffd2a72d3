package ispdb.db;

import ispdb.IspdbException;
import ispdb.model.Prediction;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** Appending one prediction, as cron jobs do. */
public final class Predictions {
    private Predictions() {
    }

    /** Appends a prediction made now (UTC) and returns its prediction_id; an unknown customer writes nothing. */
    public static long record(Database db, long customerId, double clv, String type, Boolean campaign1,
            Boolean campaign2) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        PredictionMapper.PredictionWithId row = new PredictionMapper.PredictionWithId(
                new Prediction(null, customerId, clv, type, campaign1, campaign2, now));
        db.useMappers(PredictionMapper.class);
        boolean known;
        try (SqlSession session = db.writeSession(ExecutorType.SIMPLE)) {
            known = session.getMapper(CustomerMapper.class).exists(customerId);
            if (known) {
                session.getMapper(PredictionMapper.class).insertReturningId(row);
                session.commit();
            }
        } catch (RuntimeException | SQLException e) {
            throw db.failure("record the prediction (nothing was written)", e);
        }
        if (!known) {
            throw IspdbException.rejected("unknown customer " + customerId + ": dim_customer has no customer_id "
                    + customerId + "; nothing was written");
        }
        return row.predictionId;
    }
}
