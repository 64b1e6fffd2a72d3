package ispdb.db;

import ispdb.model.Customer;
import ispdb.model.CustomerSummary;
import java.util.Map;
import org.apache.ibatis.cursor.Cursor;

/** dim_customer, and customers with their latest prediction. */
public interface CustomerMapper extends TableMapper<Customer> {
    boolean exists(long customerId);

    /**
     * Customers with their latest prediction, in any order but clv (see {@link #latestByClv}); the filter's fields as
     * a map (see {@code CustomerReport}).
     */
    Cursor<CustomerSummary> list(Map<String, Object> filter);

    /**
     * list-customers --sort clv, first part: the customers whose latest prediction matches the filter, by clv (then
     * id), within the filter's limit and offset.
     */
    Cursor<CustomerSummary> latestByClv(Map<String, Object> filter);

    /** How many customers {@link #latestByClv} would give without a limit or offset. */
    long countLatest(Map<String, Object> filter);

    /** list-customers --sort clv, second part: the customers with no prediction at all, by id. */
    Cursor<CustomerSummary> withoutPrediction(Map<String, Object> filter);
}
