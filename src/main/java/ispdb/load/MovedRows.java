package ispdb.load;

import ispdb.db.CustomerRowMapper;
import ispdb.db.RowCustomer;
import ispdb.db.TableRows;
import ispdb.model.Table;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.ibatis.session.SqlSession;

/**
 * The rule that keeps a key on one row when an upsert gives a transaction or a prediction another customer: the row
 * it replaces is deleted first, in the load's transaction, and the upsert then writes the row anew. On one server
 * the upsert alone would do (its update sets the new customer), but on a sharded head (docs/sharding.md) the key is
 * (key, customer_id) and the customer picks the backend: the upsert would add a second row with the key on the new
 * customer's backend, or fail on the same backend (error 1032). One rule for every database, used wherever an
 * upsert writes these tables (load-csv, record-prediction --file, copy). Only the rows whose customer changes are
 * deleted; their former customers' purchase summaries and months' revenue are made again as for any replaced
 * transaction ({@link TouchedCustomers}, {@link TouchedMonths}, which read them before this deletes).
 */
final class MovedRows {
    private MovedRows() {
    }

    /** Whether an upsert into the table may move a row from one customer to another. */
    static boolean apply(Table table) {
        return customerColumn(table) > 0;
    }

    /**
     * Before a batch of upserted rows is written (a null row ends it): deletes the rows among those {@code replaces}
     * says the table held before the load whose customer is not the batch row's.
     */
    static void deleteMoved(SqlSession session, RowSink sink, Table table, Object[][] batch, LongPredicate replaces)
            throws SQLException {
        int customer = customerColumn(table);
        Map<Long, Long> customers = new HashMap<>();
        for (Object[] values : batch) {
            if (values == null) {
                break;
            }
            if (values[0] instanceof Long key && replaces.test(key)) {
                customers.put(key, (Long) values[customer]);
            }
        }
        if (customers.isEmpty()) {
            return;
        }
        sink.flush(); // the rows before this batch are written before their keys are read
        CustomerRowMapper mapper = (CustomerRowMapper) TableRows.mapper(session, table);
        List<Long> keys = new ArrayList<>(customers.keySet());
        List<Long> moved = new ArrayList<>();
        for (List<Long> chunk : RowSink.chunks(keys)) {
            for (RowCustomer former : mapper.customersOf(chunk)) {
                if (former.customerId() != customers.get(former.key())) {
                    moved.add(former.key());
                }
            }
        }
        for (List<Long> chunk : RowSink.chunks(moved)) {
            mapper.deleteKeys(chunk);
        }
    }

    /** Where the customer stands in the table's rows; -1 for a table whose rows are not a customer's own. */
    static int customerColumn(Table table) {
        for (int i = 1; i < table.columns().size(); i++) {
            if (table.columns().get(i).references() == Table.CUSTOMER) {
                return i;
            }
        }
        return -1;
    }
}
