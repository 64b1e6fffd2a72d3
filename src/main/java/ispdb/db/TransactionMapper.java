package ispdb.db;

import ispdb.model.Transaction;
import org.apache.ibatis.session.ResultHandler;

/** fact_transaction. */
public interface TransactionMapper {
    void insert(Transaction row);

    void upsert(Transaction row);

    void selectIds(ResultHandler<Long> handler);
}
