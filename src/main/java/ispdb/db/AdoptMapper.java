package ispdb.db;

import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/**
 * init-schema --adopt: the rows of a database without ispdb's schema history that break the current schema, and the
 * statements that move its tables aside, copy their rows into the migrated tables and drop them. Table names are
 * those of the four tables, picked by a whitelist; {@code scratch} and {@code aside} are ispdb's own database names on
 * MariaDB (checked: ispdb_adopt_ and digits).
 */
public interface AdoptMapper {
    /** The rows of one of the four tables (its name) that adoption sets aside, every column as text. */
    Cursor<Map<String, Object>> rejectedRows(@Param("table") String table, @Param("hasPredictedAt") boolean hasPredictedAt,
            @Param("rules") Map<String, List<Map<String, Object>>> rules, @Param("latest") java.time.LocalDateTime latest);

    long countRows(@Param("table") String table);

    /** SQLite: renames the table to ispdb_adopt_old_TABLE; PostgreSQL: moves it into the schema ispdb_adopt_old. */
    void moveAside(@Param("table") String table);

    /** PostgreSQL: the schema the old tables go into (dropped with them). */
    void createAsideSchema();

    /** SQLite: drops ispdb_adopt_old_TABLE; PostgreSQL: drops the schema ispdb_adopt_old and the old tables in it. */
    void dropAside(@Param("table") String table);

    /** MariaDB: ids 0 stay 0 (an AUTO_INCREMENT column would otherwise take 0 for "the next id"). */
    void keepZeroIds();

    void createDatabase(@Param("name") String name);

    void dropDatabase(@Param("name") String name);

    /** MariaDB: the old tables go to {@code aside} and the new ones come from {@code scratch}, in one statement. */
    void swapTables(@Param("scratch") String scratch, @Param("aside") String aside);

    /**
     * Copies the rows that keep into the new table; returns how many. Parameters: {@code table}, {@code scratch}
     * (MariaDB), {@code predictedAt} and {@code hasPredictedAt} (predictions), {@code rules} and {@code latest} (the
     * domain rules, as for {@link #rejectedRows}).
     */
    int copy(Map<String, Object> parameters);

    /** Predictions without predicted_at in the old table. */
    long countWithoutPredictedAt(@Param("hasPredictedAt") boolean hasPredictedAt);

    /** PostgreSQL: the identity of prediction_id goes on after the highest id copied. */
    List<Long> syncIdSequence();
}
