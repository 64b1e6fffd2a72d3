package ispdb.model;

/**
 * A column of a table as CSV files name it.
 *
 * @param required a value must be given (NOT NULL, and not filled in by ispdb)
 * @param optionalInHeader the header may leave the column out (prediction_id, predicted_at)
 * @param references the table whose key this column holds, or null
 * @param min the smallest whole number the column takes (its domain), for whole-number columns
 * @param max the largest
 */
public record Column(String name, ColumnType type, boolean required, boolean optionalInHeader, Table references,
        long min, long max) {

    static Column key(String name) {
        return new Column(name, ColumnType.ID, true, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static Column required(String name, ColumnType type) {
        return new Column(name, type, true, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static Column nullable(String name, ColumnType type) {
        return new Column(name, type, false, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static Column reference(String name, Table table) {
        return new Column(name, ColumnType.ID, true, false, table, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static Column omissible(String name, ColumnType type) {
        return new Column(name, type, false, true, null, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** This column, taking only whole numbers from {@code min} to {@code max}. */
    Column between(long min, long max) {
        return new Column(name, type, required, optionalInHeader, references, min, max);
    }

    /** The column's domain in words, for messages: "0 to 130", "0 or more". */
    public String domain() {
        if (max == Long.MAX_VALUE || type == ColumnType.INTEGER && max == Integer.MAX_VALUE) {
            return min + " or more";
        }
        return min + " to " + max;
    }

    /** Whether the column's domain is narrower than its type's. */
    public boolean bounded() {
        return min != Long.MIN_VALUE || max != Long.MAX_VALUE;
    }
}
