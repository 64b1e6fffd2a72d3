package ispdb.db;

import ispdb.model.Transaction;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;

/** fact_transaction. */
public interface TransactionMapper extends BulkLoadStatements {
    void insert(Transaction row);

    void upsert(Transaction row);

    void selectIds(ResultHandler<Long> handler);

    /** Every row, in key order, streamed (export, copy). */
    Cursor<Transaction> inKeyOrder();

    /**
     * PostgreSQL only: the {@code COPY ... FROM STDIN} that RowSink streams the rows of {@code insert} through
     * (it reads the statement's SQL; the method itself is not called).
     */
    void insertCopy();

    /**
     * SQLite only: the connection's per-row foreign-key checks off and on, outside a transaction (see
     * ispdb.load.ForeignKeyChecks, which runs the statements' SQL on the load's connection).
     */
    void foreignKeysOff();

    void foreignKeysOn();
}
