package ispdb.model;

import static ispdb.model.Column.key;
import static ispdb.model.Column.nullable;
import static ispdb.model.Column.omissible;
import static ispdb.model.Column.reference;
import static ispdb.model.Column.required;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The four tables of the schema, in foreign-key order (a table only references tables before it), with their
 * columns in the order CSV files and records list them. The first column is the primary key.
 */
public enum Table {
    PAYMENT_METHOD("dim_payment_method", "payment-methods", "payment method",
            List.of(key("payment_method_id"), required("payment_method_name", ColumnType.TEXT)),
            v -> new PaymentMethod((Long) v[0], (String) v[1]),
            r -> new Object[] {((PaymentMethod) r).paymentMethodId(), ((PaymentMethod) r).paymentMethodName()}),
    CUSTOMER("dim_customer", "customers", "customer",
            List.of(key("customer_id"), nullable("age", ColumnType.INTEGER).between(0, Customer.MAX_AGE), nullable("gender", ColumnType.TEXT),
                    nullable("first_transaction_date", ColumnType.TIMESTAMP),
                    nullable("last_transaction_date", ColumnType.TIMESTAMP),
                    nullable("survival_time", ColumnType.INTEGER).between(0, Integer.MAX_VALUE), nullable("event_observed", ColumnType.BOOLEAN)),
            v -> new Customer((Long) v[0], (Integer) v[1], (String) v[2], (LocalDateTime) v[3], (LocalDateTime) v[4],
                    (Integer) v[5], (Boolean) v[6]),
            r -> {
                Customer c = (Customer) r;
                return new Object[] {c.customerId(), c.age(), c.gender(), c.firstTransactionDate(),
                    c.lastTransactionDate(), c.survivalTime(), c.eventObserved()};
            }),
    TRANSACTION("fact_transaction", "transactions", "transaction",
            List.of(key("transaction_id"), reference("customer_id", CUSTOMER),
                    reference("payment_method_id", PAYMENT_METHOD),
                    required("transaction_date", ColumnType.TIMESTAMP), required("amount", ColumnType.REAL)),
            v -> new Transaction((Long) v[0], (Long) v[1], (Long) v[2], (LocalDateTime) v[3], (Double) v[4]),
            r -> {
                Transaction t = (Transaction) r;
                return new Object[] {t.transactionId(), t.customerId(), t.paymentMethodId(), t.transactionDate(),
                    t.amount()};
            }),
    PREDICTION("clv_prediction", "predictions", "prediction",
            List.of(omissible("prediction_id", ColumnType.ID), reference("customer_id", CUSTOMER),
                    required("clv", ColumnType.REAL), nullable("predicted_customer_type", ColumnType.TEXT),
                    nullable("is_campaign1_success", ColumnType.BOOLEAN),
                    nullable("is_campaign2_success", ColumnType.BOOLEAN),
                    omissible("predicted_at", ColumnType.TIMESTAMP)),
            v -> new Prediction((Long) v[0], (Long) v[1], (Double) v[2], (String) v[3], (Boolean) v[4],
                    (Boolean) v[5], (LocalDateTime) v[6]),
            r -> {
                Prediction p = (Prediction) r;
                return new Object[] {p.predictionId(), p.customerId(), p.clv(), p.predictedCustomerType(),
                    p.isCampaign1Success(), p.isCampaign2Success(), p.predictedAt()};
            });

    private final String tableName;
    private final String alias;
    private final String noun;
    private final List<Column> columns;
    private final Function<Object[], Object> rowFactory;
    private final Function<Object, Object[]> valuesOf;

    Table(String tableName, String alias, String noun, List<Column> columns,
            Function<Object[], Object> rowFactory, Function<Object, Object[]> valuesOf) {
        this.tableName = tableName;
        this.alias = alias;
        this.noun = noun;
        this.columns = columns;
        this.rowFactory = rowFactory;
        this.valuesOf = valuesOf;
    }

    /** The table's name in the database. */
    public String tableName() {
        return tableName;
    }

    /** The short name the command line also accepts (payment-methods, customers, transactions, predictions). */
    public String alias() {
        return alias;
    }

    /** What one row is, in words: "customer", "payment method". */
    public String noun() {
        return noun;
    }

    public List<Column> columns() {
        return columns;
    }

    public Column primaryKey() {
        return columns.get(0);
    }

    /** The row record for values in column order. */
    public Object row(Object[] values) {
        return rowFactory.apply(values);
    }

    /** A row record's values in column order (the inverse of {@link #row}). */
    public Object[] values(Object row) {
        return valuesOf.apply(row);
    }

    /** The table a name or alias stands for, ignoring case. */
    public static Optional<Table> named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.tableName.equals(n) || t.alias.equals(n)).findFirst();
    }

    /** "dim_payment_method (payment-methods), dim_customer (customers), ..." for messages and help. */
    public static String allNames() {
        StringBuilder s = new StringBuilder();
        for (Table t : values()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(t.tableName).append(" (").append(t.alias).append(')');
        }
        return s.toString();
    }
}
