package ispdb.db;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * What the mappers of the tables whose rows each belong to a customer (fact_transaction, clv_prediction) share: an
 * upsert's look at the rows it replaces, and the rule that keeps a key on one row when an upsert gives it another
 * customer (ispdb.load.MovedRows).
 */
public interface CustomerRowMapper {
    /** The rows with these keys that are in the table, each with its customer. */
    List<RowCustomer> customersOf(@Param("ids") List<Long> keys);

    /** Deletes the rows with these keys. */
    void deleteKeys(@Param("ids") List<Long> keys);
}
