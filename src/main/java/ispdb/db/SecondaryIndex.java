package ispdb.db;

/**
 * One of a table's secondary indexes as the database's own catalog holds it: its name, the statement that drops it
 * and the statement that builds it again (the catalog's text, not a copy of the migration's).
 */
public record SecondaryIndex(String name, String dropStatement, String createStatement) {
}
