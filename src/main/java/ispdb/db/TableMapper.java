package ispdb.db;

import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;

/**
 * What the mappers of the four tables share: each row record {@code R} goes in and comes out the same way (MyBatis
 * finds an inherited method's statement under the concrete mapper's name, CustomerMapper.insert).
 */
public interface TableMapper<R> {
    /** Inserts a row (a prediction without its prediction_id, which the database assigns: see PredictionMapper). */
    void insert(R row);

    /** Inserts the row, or replaces the row with its key. */
    void upsert(R row);

    /** Every key of the table, in no particular order. */
    void selectIds(ResultHandler<Long> handler);

    /** The keys of the JSON array {@code ids} ("[3, 17, 42]") that the table holds, in no particular order. */
    List<Long> selectIdsAmong(@Param("ids") String ids);

    /** Every row, in key order, streamed (export, copy). */
    Cursor<R> inKeyOrder();
}
