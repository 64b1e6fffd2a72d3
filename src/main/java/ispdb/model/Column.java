package ispdb.model;

/**
 * A column of a table as CSV files name it.
 *
 * @param required a value must be given (NOT NULL, and not filled in by ispdb)
 * @param optionalInHeader the header may leave the column out (prediction_id, predicted_at)
 * @param references the table whose key this column holds, or null
 */
public record Column(String name, ColumnType type, boolean required, boolean optionalInHeader, Table references) {

    static Column key(String name) {
        return new Column(name, ColumnType.ID, true, false, null);
    }

    static Column required(String name, ColumnType type) {
        return new Column(name, type, true, false, null);
    }

    static Column nullable(String name, ColumnType type) {
        return new Column(name, type, false, false, null);
    }

    static Column reference(String name, Table table) {
        return new Column(name, ColumnType.ID, true, false, table);
    }

    static Column omissible(String name, ColumnType type) {
        return new Column(name, type, false, true, null);
    }
}
