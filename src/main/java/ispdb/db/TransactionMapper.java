package ispdb.db;

import ispdb.model.Transaction;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** fact_transaction. */
public interface TransactionMapper extends TableMapper<Transaction>, CustomerRowMapper {
    /** The transaction_date and payment method of these transactions (those that are in the table). */
    List<RevenueCell> cellsOf(@Param("ids") List<Long> transactionIds);
}
