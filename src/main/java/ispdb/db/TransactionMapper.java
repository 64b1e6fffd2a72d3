package ispdb.db;

import ispdb.model.Transaction;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;

/** fact_transaction. */
public interface TransactionMapper {
    void insert(Transaction row);

    void upsert(Transaction row);

    void selectIds(ResultHandler<Long> handler);

    /** Every row, in key order, streamed (export, copy). */
    Cursor<Transaction> inKeyOrder();
}
