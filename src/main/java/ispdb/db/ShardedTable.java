package ispdb.db;

/**
 * A table of the schema on a Spider head as its catalog describes it: its engine, whether it has a customer_id (then
 * partitioned by it), its primary key's columns (comma-separated), its Spider comment and its partitions' comments
 * (one per line, in order; null when not partitioned).
 */
record ShardedTable(String tableName, String engine, boolean byCustomer, String primaryKey, String comment,
        String partitions) {
}
