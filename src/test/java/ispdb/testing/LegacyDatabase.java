package ispdb.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A database shaped like the Python tool's {@code internet_service_provider.db}, made by the tests themselves: its
 * DDL (SQLAlchemy's {@code create_all} of the tool's models: no schema history, DATE and DATETIME columns, nullable
 * foreign keys, an index on the primary key, a {@code clv_prediction} without {@code predicted_at}) and generated
 * rows of the same kind: 5 payment methods (0-4), 11 customers (0-10, customer 0 without transactions), 100
 * transactions of which 20 name payment method 5, which does not exist, and 11 predictions.
 *
 * <p>On PostgreSQL and MariaDB the tables are what the same models give there (native DATE, TIMESTAMP/DATETIME(6),
 * BOOLEAN, double-precision amounts, SERIAL/AUTO_INCREMENT keys), without foreign keys: a server would not have
 * let the 20 orphans in otherwise (such a copy is what pandas' {@code to_sql} or pgloader make of the file).
 * MariaDB's DATETIME is taken with microseconds (SQLAlchemy's {@code mysql.DATETIME(fsp=6)}) and the prediction
 * type as VARCHAR(255) (MySQL has no VARCHAR without a length).
 *
 * <p>The customers' first/last transaction dates and survival_time agree with their transactions other than the 20
 * orphans (those are never the first or last of their customer).
 */
public final class LegacyDatabase {
    public static final int ORPHANS = 20;
    public static final int TRANSACTIONS = 100;
    public static final int CUSTOMERS = 11;
    public static final int PREDICTIONS = 11;
    public static final int PAYMENT_METHODS = 5;
    public static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private LegacyDatabase() {
    }

    /** The ids of the 20 transactions that name payment method 5. */
    public static List<Long> orphanIds() {
        List<Long> ids = new ArrayList<>();
        for (long i = 1; i <= TRANSACTIONS; i++) {
            if (isOrphan(i)) {
                ids.add(i);
            }
        }
        return ids;
    }

    public static boolean isOrphan(long i) {
        return i % 5 == 0;
    }

    public static long customerOf(long i) {
        return 1 + (i * 7 / 3) % 10;
    }

    public static LocalDateTime dateOf(long i) {
        LocalDateTime base = LocalDateTime.of(2020, 1, 1, 0, 0);
        if (isOrphan(i)) {
            // the first transaction of its customer that is no orphan, plus a second: never its first or last
            for (long j = 1; j <= TRANSACTIONS; j++) {
                if (!isOrphan(j) && customerOf(j) == customerOf(i) && j != i) {
                    LocalDateTime first = null;
                    LocalDateTime last = null;
                    for (long k = 1; k <= TRANSACTIONS; k++) {
                        if (!isOrphan(k) && customerOf(k) == customerOf(i)) {
                            LocalDateTime d = dateOf(k);
                            first = first == null || d.isBefore(first) ? d : first;
                            last = last == null || d.isAfter(last) ? d : last;
                        }
                    }
                    return first.plusSeconds(Duration.between(first, last).toSeconds() / 2);
                }
            }
            throw new IllegalStateException("customer " + customerOf(i) + " has only orphans");
        }
        return base.plusDays(i * 11).plusSeconds(i * 3607).plusNanos((i * 123_457 % 1_000_000) * 1000);
    }

    public static double amountOf(long i) {
        return Math.round((i * 13.37) % 500 * 100) / 100.0 + 0.01;
    }

    public static void create(TestDatabase db) {
        // the tool's SQLite connections left foreign keys off (SQLite's default), which let the orphans in
        try (Connection c = java.sql.DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            if (db.kind().mariadb()) {
                // the ids start at 0, which an AUTO_INCREMENT column would otherwise take for "the next id"
                s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
            }
            for (String ddl : ddl(db.kind())) {
                s.execute(ddl);
            }
            insert(c, db.kind());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ddl(TestDatabase.Kind kind) {
        return switch (kind) {
            case SQLITE -> List.of("""
                    CREATE TABLE dim_payment_method (
                    \tpayment_method_id INTEGER NOT NULL,\s
                    \tpayment_method_name VARCHAR(255),\s
                    \tPRIMARY KEY (payment_method_id)
                    )""", """
                    CREATE TABLE dim_customer (
                    \tcustomer_id INTEGER NOT NULL,\s
                    \tage INTEGER,\s
                    \tgender VARCHAR(100),\s
                    \tfirst_transaction_date DATE,\s
                    \tlast_transaction_date DATE,\s
                    \tsurvival_time INTEGER,\s
                    \tevent_observed BOOLEAN,\s
                    \tPRIMARY KEY (customer_id)
                    )""", """
                    CREATE TABLE fact_transaction (
                    \ttransaction_id INTEGER NOT NULL,\s
                    \tcustomer_id INTEGER,\s
                    \tpayment_method_id INTEGER,\s
                    \ttransaction_date DATETIME,\s
                    \tamount FLOAT,\s
                    \tPRIMARY KEY (transaction_id),\s
                    \tFOREIGN KEY(customer_id) REFERENCES dim_customer (customer_id),\s
                    \tFOREIGN KEY(payment_method_id) REFERENCES dim_payment_method (payment_method_id)
                    )""",
                    "CREATE INDEX ix_fact_transaction_transaction_id ON fact_transaction (transaction_id)", """
                    CREATE TABLE clv_prediction (
                    \tprediction_id INTEGER NOT NULL,\s
                    \tcustomer_id INTEGER,\s
                    \tclv FLOAT,\s
                    \tpredicted_customer_type VARCHAR,\s
                    \tis_campaign1_success BOOLEAN,\s
                    \tis_campaign2_success BOOLEAN,\s
                    \tPRIMARY KEY (prediction_id),\s
                    \tFOREIGN KEY(customer_id) REFERENCES dim_customer (customer_id)
                    )""");
            case POSTGRESQL -> List.of(
                    "CREATE TABLE dim_payment_method (payment_method_id SERIAL NOT NULL, "
                            + "payment_method_name VARCHAR(255), PRIMARY KEY (payment_method_id))",
                    "CREATE TABLE dim_customer (customer_id SERIAL NOT NULL, age INTEGER, gender VARCHAR(100), "
                            + "first_transaction_date DATE, last_transaction_date DATE, survival_time INTEGER, "
                            + "event_observed BOOLEAN, PRIMARY KEY (customer_id))",
                    "CREATE TABLE fact_transaction (transaction_id SERIAL NOT NULL, customer_id INTEGER, "
                            + "payment_method_id INTEGER, transaction_date TIMESTAMP WITHOUT TIME ZONE, "
                            + "amount FLOAT, PRIMARY KEY (transaction_id))",
                    "CREATE INDEX ix_fact_transaction_transaction_id ON fact_transaction (transaction_id)",
                    "CREATE TABLE clv_prediction (prediction_id SERIAL NOT NULL, customer_id INTEGER, clv FLOAT, "
                            + "predicted_customer_type VARCHAR, is_campaign1_success BOOLEAN, "
                            + "is_campaign2_success BOOLEAN, PRIMARY KEY (prediction_id))");
            case MARIADB, SPIDER -> List.of(
                    "CREATE TABLE dim_payment_method (payment_method_id INTEGER NOT NULL AUTO_INCREMENT, "
                            + "payment_method_name VARCHAR(255), PRIMARY KEY (payment_method_id))",
                    "CREATE TABLE dim_customer (customer_id INTEGER NOT NULL AUTO_INCREMENT, age INTEGER, "
                            + "gender VARCHAR(100), first_transaction_date DATE, last_transaction_date DATE, "
                            + "survival_time INTEGER, event_observed BOOL, PRIMARY KEY (customer_id))",
                    "CREATE TABLE fact_transaction (transaction_id INTEGER NOT NULL AUTO_INCREMENT, "
                            + "customer_id INTEGER, payment_method_id INTEGER, transaction_date DATETIME(6), "
                            + "amount DOUBLE, PRIMARY KEY (transaction_id))",
                    "CREATE INDEX ix_fact_transaction_transaction_id ON fact_transaction (transaction_id)",
                    "CREATE TABLE clv_prediction (prediction_id INTEGER NOT NULL AUTO_INCREMENT, "
                            + "customer_id INTEGER, clv DOUBLE, predicted_customer_type VARCHAR(255), "
                            + "is_campaign1_success BOOL, is_campaign2_success BOOL, PRIMARY KEY (prediction_id))");
        };
    }

    /** The stored first and last transaction date and survival_time of each customer with transactions. */
    public static Map<Long, Object[]> derived() {
        Map<Long, LocalDateTime[]> span = new HashMap<>();
        for (long i = 1; i <= TRANSACTIONS; i++) {
            if (isOrphan(i)) {
                continue;
            }
            LocalDateTime d = dateOf(i);
            span.merge(customerOf(i), new LocalDateTime[] {d, d}, (a, b) -> new LocalDateTime[] {
                a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
        Map<Long, Object[]> out = new HashMap<>();
        span.forEach((customer, s) -> {
            long days = Duration.between(s[0].toLocalDate().atStartOfDay(), s[1].toLocalDate().atStartOfDay()).toDays()
                    - (s[1].toLocalTime().isBefore(s[0].toLocalTime()) ? 1 : 0);
            out.put(customer, new Object[] {s[0], s[1], (int) days});
        });
        return out;
    }

    private static void insert(Connection c, TestDatabase.Kind kind) throws SQLException {
        boolean sqlite = kind == TestDatabase.Kind.SQLITE;
        String[] names = {"Credit Card", "Debit Card", "Bank Transfer", "Cash", "Paypal"};
        try (PreparedStatement p = c.prepareStatement("INSERT INTO dim_payment_method VALUES (?, ?)")) {
            for (int i = 0; i < PAYMENT_METHODS; i++) {
                p.setLong(1, i);
                p.setString(2, names[i]);
                p.executeUpdate();
            }
        }
        Map<Long, Object[]> derived = derived();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO dim_customer VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (long i = 0; i < CUSTOMERS; i++) {
                Object[] d = derived.get(i);
                p.setLong(1, i);
                p.setInt(2, 20 + (int) (i * 7 % 60));
                p.setString(3, i % 2 == 0 ? "Female" : "Male");
                if (d == null) {
                    // customer 0: no transactions, dates of its own (as in the tool's file)
                    setTimestamp(p, 4, LocalDateTime.of(2020, 6, 23, 23, 36, 30, 665_737_000), kind);
                    setTimestamp(p, 5, LocalDateTime.of(2022, 9, 6, 17, 31, 34, 590_844_000), kind);
                    p.setInt(6, 468);
                } else {
                    setTimestamp(p, 4, (LocalDateTime) d[0], kind);
                    setTimestamp(p, 5, (LocalDateTime) d[1], kind);
                    p.setInt(6, (Integer) d[2]);
                }
                setBoolean(p, 7, i < 9 ? Boolean.TRUE : Boolean.FALSE, sqlite);
                p.executeUpdate();
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO fact_transaction VALUES (?, ?, ?, ?, ?)")) {
            for (long i = 1; i <= TRANSACTIONS; i++) {
                p.setLong(1, i);
                p.setLong(2, customerOf(i));
                p.setLong(3, isOrphan(i) ? 5 : (i % 5) - 1);
                setTimestamp(p, 4, dateOf(i), kind);
                p.setDouble(5, amountOf(i));
                p.executeUpdate();
            }
        }
        String[] types = {"Star", "Free Rider", "Lost Cause", "Vulnerable"};
        try (PreparedStatement p = c.prepareStatement("INSERT INTO clv_prediction VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long i = 0; i < PREDICTIONS; i++) {
                p.setLong(1, i);
                p.setLong(2, i);
                p.setDouble(3, 418.551666666667 + i * 137.03 + 0.00000000001 * i);
                p.setString(4, types[(int) (i % 4)]);
                setBoolean(p, 5, i % 3 == 0 ? null : i % 2 == 0, sqlite);
                setBoolean(p, 6, null, sqlite);
                p.executeUpdate();
            }
        }
    }

    /** SQLite: text in the stored form (as the tool wrote it); a server: its native type (a DATE keeps the day). */
    public static void setTimestamp(PreparedStatement p, int i, LocalDateTime t, TestDatabase.Kind kind) throws SQLException {
        if (kind == TestDatabase.Kind.SQLITE) {
            p.setString(i, t.format(STORED));
        } else {
            p.setTimestamp(i, Timestamp.valueOf(t));
        }
    }

    private static void setBoolean(PreparedStatement p, int i, Boolean b, boolean sqlite) throws SQLException {
        if (b == null) {
            p.setNull(i, sqlite ? Types.INTEGER : Types.BOOLEAN);
        } else if (sqlite) {
            p.setInt(i, b ? 1 : 0);
        } else {
            p.setBoolean(i, b);
        }
    }
}
