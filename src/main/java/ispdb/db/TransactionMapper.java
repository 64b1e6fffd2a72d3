package ispdb.db;

import ispdb.model.Transaction;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** fact_transaction. */
public interface TransactionMapper extends TableMapper<Transaction>, CustomerRowMapper {
    /** The transaction_date of these transactions (those that are in the table). */
    List<LocalDateTime> datesOf(@Param("ids") List<Long> transactionIds);
}
