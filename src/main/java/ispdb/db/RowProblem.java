package ispdb.db;

/**
 * A row that breaks one of check's rules, as the rule's query finds it: the table, the row's key, the column, the
 * value as stored (or a count, for a duplicate key), and what was expected (the rule's query says what).
 */
public record RowProblem(String tableName, String rowKey, String columnName, String value, String expected) {
}
