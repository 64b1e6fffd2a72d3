package ispdb.model;

/** The kinds of value a column holds, each with one way to read it from CSV text. */
public enum ColumnType {
    /** A whole number key or count (64-bit). */
    ID,
    /** A whole number that fits 32 bits (age, survival time). */
    INTEGER,
    /** A finite decimal number. */
    REAL,
    /** Text. */
    TEXT,
    /** A date and time, to the microsecond. */
    TIMESTAMP,
    /** true/false, 1/0, yes/no. */
    BOOLEAN
}
