package ispdb.db;

import ispdb.model.Transaction;

/** fact_transaction. */
public interface TransactionMapper extends TableMapper<Transaction> {
}
