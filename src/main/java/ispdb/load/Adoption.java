package ispdb.load;

import ispdb.Interruption;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import ispdb.IspdbException;
import ispdb.db.AdoptMapper;
import ispdb.db.AnalysisMapper;
import ispdb.db.CheckMapper;
import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.db.DomainRules;
import ispdb.db.PurchaseSummaries;
import ispdb.db.Schema;
import ispdb.db.SessionSetup;
import ispdb.model.Column;
import ispdb.model.RowRules;
import ispdb.model.Table;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * init-schema --adopt: takes over a database that has the four tables but no ispdb schema history (the Python
 * tool's), upgrading it in place to the current schema, all or nothing. Every row that keeps is copied as it is;
 * the rows that break the new schema (orphans, missing required values, values that break load-csv's domain rules,
 * and the rows that refer to a row set aside) go to the reject file, in load-csv's
 * reject format, one table's rows after another: {@code file} is the table's export name as load-csv --dir reads it
 * ({@code fact_transaction.csv}), {@code line} the row's line in such a file (the header is line 1), {@code row} the
 * row in that file's columns. Predictions without predicted_at get the time of adoption (UTC, whole seconds).
 *
 * <p>SQLite and PostgreSQL: one transaction moves the old tables aside, runs the migrations' DDL, copies, drops the
 * old tables, and commits. MariaDB, whose DDL commits by itself: the new tables are made and filled in a scratch
 * database, then one RENAME TABLE swaps old for new (atomic); until then the old tables are untouched, and a
 * failure drops the scratch database. On all three the schema history (a Flyway baseline at the current version) is
 * written right after; a run stopped between the two is finished by running --adopt again. On all three the
 * customers' purchase summaries are made from the copied transactions before the commit (swap).
 */
public final class Adoption {
    /** What adoption did: rows kept and set aside per table, and what the predictions without predicted_at got. */
    public record Outcome(Map<String, long[]> rows, long withoutPredictedAt, LocalDateTime predictedAt,
            boolean historyOnly) {
        public long rejected() {
            return rows.values().stream().mapToLong(r -> r[1]).sum();
        }
    }

    private static final List<Table> ORDER = List.of(Table.PAYMENT_METHOD, Table.CUSTOMER, Table.TRANSACTION,
            Table.PREDICTION);

    private Adoption() {
    }

    /**
     * Adopts the database. {@code rejectFile} null: rows that would be set aside make it refuse (nothing changed) with
     * {@link NeedsRejectFile}.
     */
    public static Outcome adopt(Database db, Path rejectFile, boolean hasPredictedAt) {
        db.useMappers(CheckMapper.class, AdoptMapper.class, AnalysisMapper.class); // AdoptMapper.xml says the domain rules with CheckMapper's
        LocalDateTime predictedAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        Rules rules = new Rules(hasPredictedAt, predictedAt);
        Map<String, long[]> rows = new LinkedHashMap<>();
        RejectFile rejects = rejectFile == null ? null : new RejectFile(rejectFile, List.of(), db.file());
        long without;
        try {
            try (SqlSession session = db.dialect() == Dialect.MYSQL ? db.session(ExecutorType.SIMPLE)
                    : db.writeSession(ExecutorType.SIMPLE)) {
                AdoptMapper mapper = session.getMapper(AdoptMapper.class);
                // as init-schema's DDL: a lock not had within 5 s fails the adoption instead of queueing readers
                SessionSetup.run(session, SessionSetup.Setting.MIGRATION_LOCK_TIMEOUT);
                without = mapper.countWithoutPredictedAt(hasPredictedAt);
                long rejected = 0;
                for (Table t : ORDER) {
                    long total = mapper.countRows(t.tableName());
                    long aside = setAside(mapper, t, hasPredictedAt, rules, rejects);
                    rows.put(t.tableName(), new long[] {total - aside, aside, total});
                    rejected += aside;
                }
                if (!hasPredictedAt) {
                    without = rows.get(Table.PREDICTION.tableName())[0]; // those kept
                }
                if (rejected > 0 && rejects == null) {
                    session.rollback(true);
                    throw new NeedsRejectFile(rejected);
                }
                if (db.dialect() == Dialect.MYSQL) {
                    swapOnMariadb(session, mapper, rows, predictedAt, hasPredictedAt, rules, rejects);
                } else {
                    Connection c = session.getConnection();
                    if (db.dialect() == Dialect.POSTGRESQL) {
                        mapper.createAsideSchema();
                    }
                    for (Table t : ORDER) {
                        mapper.moveAside(t.tableName());
                    }
                    run(c, Schema.statements(db.dialect()));
                    copy(mapper, rows, predictedAt, hasPredictedAt, rules, null);
                    PurchaseSummaries.rebuild(session);
                    mapper.syncIdSequence();
                    if (db.dialect() == Dialect.POSTGRESQL) {
                        mapper.dropAside(null);
                    } else {
                        for (int i = ORDER.size() - 1; i >= 0; i--) {
                            mapper.dropAside(ORDER.get(i).tableName());
                        }
                    }
                    if (rejects != null) {
                        rejects.secure();
                    }
                    Interruption.commit(() -> session.commit(true));
                }
            }
            if (rejects != null) {
                rejects.commit();
            }
            Schema.recordAdopted(db);
            return new Outcome(rows, without, predictedAt, false);
        } catch (IspdbException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw db.failure("adopt the database (nothing was changed)", e);
        } finally {
            if (rejects != null) {
                rejects.close();
            }
        }
    }

    /** Rows that would be set aside, without a reject file: the adoption stops (exit code 1) and changes nothing. */
    public static final class NeedsRejectFile extends IspdbException {
        NeedsRejectFile(long rows) {
            super(ispdb.ExitCodes.REJECTED, rows + " row" + (rows == 1 ? " breaks" : "s break")
                    + " the ispdb schema (see the report above): nothing was changed. Fix them, or set them aside with "
                    + "--reject-file F (a CSV file that load-csv can load back once they are fixed)");
        }
    }

    private static void swapOnMariadb(SqlSession session, AdoptMapper mapper, Map<String, long[]> rows,
            LocalDateTime predictedAt, boolean hasPredictedAt, Rules rules, RejectFile rejects) throws SQLException {
        String suffix = ProcessHandle.current().pid() + "_" + System.nanoTime();
        String scratch = "ispdb_adopt_new_" + suffix;
        String aside = "ispdb_adopt_old_" + suffix;
        if (!suffix.matches("[0-9]+_[0-9]+")) {
            throw new IllegalStateException(suffix);
        }
        Connection c = session.getConnection();
        String here = c.getCatalog();
        mapper.createDatabase(scratch);
        try {
            c.setCatalog(scratch);
            try {
                run(c, Schema.statements(Dialect.MYSQL));
            } finally {
                c.setCatalog(here);
            }
            mapper.keepZeroIds();
            copy(mapper, rows, predictedAt, hasPredictedAt, rules, scratch);
            c.setCatalog(scratch); // the copied transactions' summaries, made in the scratch database
            try {
                PurchaseSummaries.rebuild(session);
            } finally {
                c.setCatalog(here);
            }
            session.commit(true);
            if (rejects != null) {
                rejects.secure();
            }
            mapper.createDatabase(aside);
            try {
                Interruption.commit(() -> mapper.swapTables(scratch, aside)); // atomic: old for new, or nothing
            } finally {
                mapper.dropDatabase(aside); // the old tables after the swap; empty if it failed
            }
        } finally {
            mapper.dropDatabase(scratch);
        }
    }

    private static void copy(AdoptMapper mapper, Map<String, long[]> rows, LocalDateTime predictedAt,
            boolean hasPredictedAt, Rules rules, String scratch) {
        for (Table t : ORDER) {
            Map<String, Object> p = new java.util.HashMap<>();
            p.put("table", t.tableName());
            p.put("scratch", scratch);
            p.put("predictedAt", predictedAt);
            p.put("hasPredictedAt", hasPredictedAt);
            p.put("rules", rules.byTable());
            p.put("latest", rules.latest());
            long copied = mapper.copy(p);
            long[] counts = rows.get(t.tableName());
            if (copied != counts[0]) {
                // the rows that keep and the rows set aside are said once (AdoptMapper.xml): they must add up
                throw new IllegalStateException(t.tableName() + ": copied " + copied + " rows, expected " + counts[0]);
            }
        }
    }

    /**
     * The domain rules the legacy rows are held to (load-csv's, {@link RowRules}), as AdoptMapper.xml takes them:
     * each table's by its name; a not-in-the-future rule at the time of adoption.
     */
    private record Rules(Map<String, List<Map<String, Object>>> byTable, LocalDateTime now, LocalDateTime latest) {
        Rules(boolean hasPredictedAt, LocalDateTime now) {
            this(new LinkedHashMap<>(), now, DomainRules.latest(now));
            for (Table t : ORDER) {
                byTable.put(t.tableName(), DomainRules.of(t,
                        c -> hasPredictedAt || !c.equals(Table.PREDICTION.tableName() + ".predicted_at")));
            }
        }
    }

    /** Writes the table's rows that break the schema to the reject file; returns how many. */
    private static long setAside(AdoptMapper mapper, Table t, boolean hasPredictedAt, Rules rules,
            RejectFile rejects) {
        long n = 0;
        CsvMapper csv = new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        try (Cursor<Map<String, Object>> cursor = mapper.rejectedRows(t.tableName(), hasPredictedAt,
                rules.byTable(), rules.latest())) {
            for (Map<String, Object> row : cursor) {
                n++;
                if (rejects != null) {
                    List<String> fields = new ArrayList<>();
                    for (Column column : t.columns()) {
                        Object v = value(row, column.name());
                        fields.add(v == null ? "" : v.toString());
                    }
                    String text = csv.writeValueAsString(fields).replaceAll("[\\r\\n]+$", "");
                    String[] reason = ((String) value(row, "reason")).split(":", 2);
                    rejects.write(t.tableName() + ".csv", n + 1, reason[1], problem(t, reason[0], reason[1], row,
                            rules.now()), text);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n;
    }

    /** A column of a map row, whatever case the driver gave its name in. */
    private static Object value(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v == null) {
            v = row.get(column.toUpperCase(java.util.Locale.ROOT));
        }
        return v;
    }

    private static String problem(Table t, String kind, String column, Map<String, Object> row, LocalDateTime now) {
        Object v = value(row, column);
        return switch (kind) {
            case "missing" -> "missing (the ispdb schema requires a value)";
            case "rule" -> {
                RowRules.Rule rule = DomainRules.rule(t.tableName(), column);
                yield rule.message(String.valueOf(v), rule.other() == null ? null
                        : String.valueOf(value(row, rule.other())), now);
            }
            case "orphan" -> column + " " + v + " is not in "
                    + (column.equals("customer_id") ? "dim_customer" : "dim_payment_method");
            default -> column.equals("customer_id")
                    ? "customer " + v + " breaks a domain rule and is set aside too (see dim_customer.csv)"
                    : "payment method " + v + " has no payment_method_name and is set aside too";
        };
    }

    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
