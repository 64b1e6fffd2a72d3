package ispdb.model;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The domain rules of the rows, as data: each value's range (whole numbers: the column's {@link Column#domain()};
 * decimals: finite), and the rules between the values of one row (a customer's first transaction is not after the
 * last; a transaction or a prediction is not dated in the future). load-csv, record-prediction and copy apply them
 * to each row in Java ({@link Values} the ranges as it reads a value, {@link #check} the others); check and
 * init-schema --adopt say the same rules in SQL, made from this one list ({@link #rules}). The values a row may
 * leave out and ispdb fills in are here too ({@link #fillDefaults}).
 */
public final class RowRules {
    /** How far past the current time a transaction_date or predicted_at may be (clocks differ a little). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** What is wrong with a row: the column to name, and a phrase. */
    public record Problem(String column, String message) {
    }

    /** The kinds of rule. */
    public enum Kind {
        /** A whole number from {@code low} to {@code high}. */
        RANGE,
        /** A decimal that is a finite number: from {@code low} to {@code high}, the largest doubles. */
        FINITE,
        /** A time at most {@link #CLOCK_SKEW} after now. */
        NOT_FUTURE,
        /** A time not after the row's column {@code other}. */
        NOT_AFTER
    }

    /**
     * One rule on one column of a table (a column has at most one). {@code low}, {@code high}: the bounds of RANGE
     * and FINITE; {@code other}: the column of NOT_AFTER.
     */
    public record Rule(Table table, Column column, Kind kind, Number low, Number high, String other) {
        /** The phrase for a value that breaks the rule, the values as text ({@code other}: that column's). */
        public String message(String value, String otherValue, LocalDateTime now) {
            return switch (kind) {
                case RANGE -> Values.outOfRange(column, value, column.domain());
                case FINITE -> "not a number: '" + Values.shorten(value) + "'";
                case NOT_FUTURE -> value + " is in the future (now is " + Timestamps.format(now) + " UTC; a "
                        + table.noun() + " may be dated at most " + CLOCK_SKEW.toMinutes() + " minutes ahead)";
                case NOT_AFTER -> value + " is after " + other + " " + otherValue;
            };
        }
    }

    /** The rules between a row's values (the ranges come from the columns). */
    private static final List<Rule> BETWEEN_VALUES = List.of(
            notAfter(Table.CUSTOMER, "first_transaction_date", "last_transaction_date"),
            notFuture(Table.TRANSACTION, "transaction_date"),
            notFuture(Table.PREDICTION, "predicted_at"));

    /** The column a table's rows may leave out that is then the time of the load, by table (predicted_at). */
    private static final Map<Table, Integer> NOW_BY_DEFAULT = Map.of(Table.PREDICTION,
            Table.PREDICTION.columns().indexOf(column(Table.PREDICTION, "predicted_at")));

    private RowRules() {
    }

    private static Rule notAfter(Table table, String column, String other) {
        return new Rule(table, column(table, column), Kind.NOT_AFTER, null, null, column(table, other).name());
    }

    private static Rule notFuture(Table table, String column) {
        return new Rule(table, column(table, column), Kind.NOT_FUTURE, null, null, null);
    }

    private static Column column(Table table, String name) {
        return table.columns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(table.tableName() + " has no column " + name));
    }

    /** Every rule on a table's values, in column order. */
    public static List<Rule> rules(Table table) {
        List<Rule> rules = new ArrayList<>();
        for (Column c : table.columns()) {
            if (c.type() == ColumnType.INTEGER) {
                rules.add(new Rule(table, c, Kind.RANGE, Math.max(c.min(), Integer.MIN_VALUE),
                        Math.min(c.max(), Integer.MAX_VALUE), null));
            } else if (c.type() == ColumnType.REAL) {
                rules.add(new Rule(table, c, Kind.FINITE, -Double.MAX_VALUE, Double.MAX_VALUE, null));
            }
            for (Rule r : BETWEEN_VALUES) {
                if (r.table() == table && r.column().equals(c)) {
                    rules.add(r);
                }
            }
        }
        return rules;
    }

    /**
     * The first rule between the row's values that it breaks, or null (each value's own range {@link Values}
     * checked as it read it).
     *
     * @param values the row's values in the table's column order
     * @param now the current time, UTC
     */
    public static Problem check(Table table, Object[] values, LocalDateTime now) {
        for (Rule r : BETWEEN_VALUES) {
            if (r.table() != table) {
                continue;
            }
            List<Column> columns = table.columns();
            if (!(values[columns.indexOf(r.column())] instanceof LocalDateTime value)) {
                continue;
            }
            if (r.kind() == Kind.NOT_FUTURE && value.isAfter(now.plus(CLOCK_SKEW))) {
                return new Problem(r.column().name(), r.message(Timestamps.format(value), null, now));
            }
            if (r.kind() == Kind.NOT_AFTER) {
                int other = columns.indexOf(column(table, r.other()));
                if (values[other] instanceof LocalDateTime limit && value.isAfter(limit)) {
                    return new Problem(r.column().name(), r.message(Timestamps.format(value),
                            Timestamps.format(limit), now));
                }
            }
        }
        return null;
    }

    /**
     * Fills in what a row left out that ispdb gives a value: a prediction's predicted_at is the time of the load
     * ({@code now}, UTC) when the row has none (a CSV file without the column, predict --record).
     *
     * @param values the row's values in the table's column order, changed in place
     */
    public static void fillDefaults(Table table, Object[] values, LocalDateTime now) {
        Integer at = NOW_BY_DEFAULT.get(table);
        if (at != null && values[at] == null) {
            values[at] = now;
        }
    }
}
