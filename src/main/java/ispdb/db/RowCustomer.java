package ispdb.db;

/** A row of a table whose rows each belong to a customer (a transaction, a prediction): its key and its customer. */
public record RowCustomer(long key, long customerId) {
}
