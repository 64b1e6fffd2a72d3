package ispdb.db;

import ispdb.model.Finding;
import ispdb.model.Table;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * check: what is wrong with a database, as findings ({@code table, key, rule, detail}). It reads only: schema
 * drift from comparing the database's catalog with the migrated schema's ({@link ExpectedSchema}), then one
 * set-based query per rule over the rows.
 */
public final class Integrity {
    public static final String ORPHAN_REFERENCE = "orphan-reference";
    public static final String MISSING_REQUIRED = "missing-required";
    public static final String DUPLICATE_KEY = "duplicate-key";
    public static final String STORED_FORM = "stored-form";
    public static final String STALE_DERIVED = "stale-derived";
    public static final String SCHEMA_DRIFT = SchemaDrift.RULE;
    public static final String DOMAIN_RULE = "domain-rule";
    public static final String STALE_SUMMARY = "stale-summary";
    /** The customers a stale-summary finding names (the count names them all). */
    static final int NAMED_CUSTOMERS = 10;
    private static final String SUMMARY_TABLE = "customer_purchase_summary";
    private static final String MONTHS_TABLE = "monthly_revenue";

    private static final Set<Dialect> ALL = EnumSet.allOf(Dialect.class);
    private static final String TIMESTAMP_FORM = "text YYYY-MM-DD HH:MM:SS.ffffff";

    /** A rule over the rows: its word, its statement, and the columns its query's branches ask about. */
    private enum Rule {
        ORPHANS(ORPHAN_REFERENCE, CheckMapper::orphanReferences, ALL, false,
                "fact_transaction.customer_id", "fact_transaction.payment_method_id", "clv_prediction.customer_id"),
        MISSING(MISSING_REQUIRED, CheckMapper::missingRequired, ALL, false, "dim_payment_method.payment_method_name",
                "fact_transaction.customer_id", "fact_transaction.payment_method_id", "fact_transaction.transaction_date",
                "fact_transaction.amount", "clv_prediction.customer_id", "clv_prediction.clv",
                "clv_prediction.predicted_at"),
        DUPLICATES(DUPLICATE_KEY, CheckMapper::duplicateKeys, ALL, false, "dim_payment_method:unkeyed",
                "dim_customer:unkeyed", "fact_transaction:unkeyed", "clv_prediction:unkeyed"),
        STORED(STORED_FORM, CheckMapper::storedForms, EnumSet.of(Dialect.SQLITE), false, "dim_customer.first_transaction_date",
                "dim_customer.last_transaction_date", "dim_customer.event_observed", "fact_transaction.transaction_date",
                "clv_prediction.is_campaign1_success", "clv_prediction.is_campaign2_success",
                "clv_prediction.predicted_at"),
        STALE(STALE_DERIVED, CheckMapper::staleDerived, ALL, true, "dim_customer.first_transaction_date",
                "dim_customer.last_transaction_date", "dim_customer.survival_time", "fact_transaction.customer_id",
                "fact_transaction.transaction_date"),
        /** The domain rules of {@link ispdb.model.RowRules}: asked by {@link #check} itself (they need the time). */
        DOMAIN(DOMAIN_RULE, null, ALL, false);

        final String word;
        final java.util.function.BiFunction<CheckMapper, CheckScope, Cursor<RowProblem>> query;
        /** Whether the query needs all of {@code uses} (else any one of them makes a branch). */
        /** The databases that have the query (CheckMapper.xml). */
        final Set<Dialect> databases;
        final boolean needsAll;
        final List<String> uses;

        Rule(String word, java.util.function.BiFunction<CheckMapper, CheckScope, Cursor<RowProblem>> query,
                Set<Dialect> databases, boolean needsAll, String... uses) {
            this.word = word;
            this.query = query;
            this.databases = databases;
            this.needsAll = needsAll;
            this.uses = List.of(uses);
        }

        boolean appliesTo(CheckScope scope) {
            return needsAll ? uses.stream().allMatch(scope::has) : uses.stream().anyMatch(scope::has);
        }
    }

    private Integrity() {
    }

    /**
     * Hands every finding, streaming, to {@code report}, and returns what it returns (the number written). The
     * schema drift comes first, then the rules in turn.
     */
    public static long check(Database db, Function<Iterator<Finding>, Long> report) {
        db.useMappers(CheckMapper.class, AnalysisMapper.class);
        List<List<CatalogItem>> backendSchema = new ArrayList<>();
        List<CatalogItem> expected = ExpectedSchema.of(db, backendSchema::add);
        Integer version = Schema.installedVersion(db);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            if (db.dialect() == Dialect.POSTGRESQL) {
                session.getConnection().setReadOnly(true);
            }
            CheckMapper mapper = session.getMapper(CheckMapper.class);
            List<CatalogItem> actual = SqliteChecks.withChecks(mapper.catalog(null));
            CheckScope scope = scope(actual);
            List<Finding> drift = SchemaDrift.findings(version, scope, SqliteChecks.withChecks(expected), actual);
            drift.addAll(Shards.layoutFindings(db));
            for (List<CatalogItem> backendExpected : backendSchema) {
                drift.addAll(backendDrift(db, backendExpected));
            }
            Deque<Supplier<Iterator<Finding>>> parts = new ArrayDeque<>();
            parts.add(drift::iterator);
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            for (Rule rule : Rule.values()) {
                if (rule == Rule.DOMAIN) {
                    List<Map<String, Object>> rules = new ArrayList<>();
                    for (Table t : Table.values()) {
                        rules.addAll(DomainRules.of(t, scope::has));
                    }
                    if (!rules.isEmpty()) {
                        parts.add(() -> rows(rule, mapper.brokenRules(rules, DomainRules.latest(now)), now));
                    }
                } else if (rule.appliesTo(scope) && rule.databases.contains(db.dialect())) {
                    parts.add(() -> rows(rule, rule.query.apply(mapper, scope), now));
                }
            }
            if (scope.has(SUMMARY_TABLE) && scope.has("fact_transaction.customer_id")) {
                parts.add(() -> staleSummaries(session.getMapper(AnalysisMapper.class)));
            }
            if (scope.has(MONTHS_TABLE) && scope.has("fact_transaction.transaction_date")) {
                parts.add(() -> staleMonths(session.getMapper(AnalysisMapper.class)));
            }
            return report.apply(new Chain(parts));
        } catch (SQLException | RuntimeException e) {
            if (e instanceof ispdb.IspdbException || e instanceof java.io.UncheckedIOException) {
                throw (RuntimeException) e;
            }
            throw db.failure("check the database", e);
        }
    }

    /** The schema-drift findings alone (what init-schema --adopt asks before it takes a database over). */
    public static List<Finding> schemaDrift(Database db) {
        db.useMappers(CheckMapper.class);
        List<CatalogItem> expected = ExpectedSchema.of(db);
        Integer version = Schema.installedVersion(db);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            List<CatalogItem> actual = SqliteChecks.withChecks(session.getMapper(CheckMapper.class).catalog(null));
            return SchemaDrift.findings(version, scope(actual), SqliteChecks.withChecks(expected), actual);
        } catch (RuntimeException e) {
            throw db.failure("read the schema", e);
        }
    }

    /**
     * A sharded head's backends' schema drift: each backend's catalog (its tables, keys and foreign keys, which hold
     * there only) and schema version compared with the migrated schema as it is ({@code expected}), each finding
     * naming its backend.
     */
    private static List<Finding> backendDrift(Database head, List<CatalogItem> expected) {
        List<Finding> findings = new ArrayList<>();
        Shards.eachBackend(head, Shards.layout(head), (backend, db) -> {
            db.useMappers(CheckMapper.class);
            Integer version = Schema.installedVersion(db);
            List<CatalogItem> actual;
            try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
                actual = session.getMapper(CheckMapper.class).catalog(null);
            } catch (RuntimeException e) {
                throw db.failure("read the schema of " + backend, e);
            }
            for (Finding f : SchemaDrift.findings(version, scope(actual), expected, actual)) {
                findings.add(new Finding(f.tableName(), f.key(), f.rule(), "on " + backend + ": " + f.detail()));
            }
        });
        return findings;
    }

    /** The columns of each of the four tables that is there (by table name). */
    public static Map<String, Set<String>> columns(Database db) {
        db.useMappers(CheckMapper.class);
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            for (CatalogItem item : session.getMapper(CheckMapper.class).catalog(null)) {
                if (item.kind().equals("column")) {
                    columns.computeIfAbsent(item.tableName(), t -> new java.util.LinkedHashSet<>()).add(item.name());
                }
            }
        } catch (RuntimeException e) {
            throw db.failure("read the schema", e);
        }
        return columns;
    }

    /**
     * The customers' purchase summaries that are not what their transactions give, as one finding that names the
     * first {@link #NAMED_CUSTOMERS} customers and counts them all; none if every summary agrees.
     */
    private static Iterator<Finding> staleSummaries(AnalysisMapper mapper) {
        return stale(mapper.disagreeingSummaries(null, null), SUMMARY_TABLE, "the purchase summary of customer ",
                " customers", "the purchase summaries of ");
    }

    /** The months' revenue that is not what their transactions give, as one finding as {@link #staleSummaries}. */
    private static Iterator<Finding> staleMonths(AnalysisMapper mapper) {
        return stale(mapper.disagreeingMonths(null, null, null, true), MONTHS_TABLE, "the revenue of month ", " months",
                "the revenue of ");
    }

    /**
     * One stale-summary finding for the rows of {@code table} the cursor gives (their keys), naming the first
     * {@link #NAMED_CUSTOMERS} and counting them all; none if the cursor gives none.
     */
    private static Iterator<Finding> stale(Cursor<?> keys, String table, String one, String what, String many) {
        List<String> named = new ArrayList<>();
        long count = 0;
        try (Cursor<?> closing = keys) {
            for (Object key : closing) {
                if (count++ < NAMED_CUSTOMERS) {
                    named.add(key.toString());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (count == 0) {
            return java.util.Collections.emptyIterator();
        }
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < named.size(); i++) {
            list.append(i == 0 ? "" : i == named.size() - 1 && count == named.size() ? " and " : ", ")
                    .append(named.get(i));
        }
        String detail = (count == 1 ? one + list + " disagrees"
                : many + count + what + " (" + list + (count > named.size() ? ", ..." : "") + ") disagree")
                + " with the transactions: 'ispdb refresh-customer-stats --full' makes them again";
        return List.of(new Finding(table, named.get(0), STALE_SUMMARY, detail)).iterator();
    }

    /** The tables (those with their key column) and columns of the four tables that are there. */
    private static CheckScope scope(List<CatalogItem> actual) {
        Set<String> columns = new HashSet<>();
        for (CatalogItem item : actual) {
            if (item.kind().equals("column")) {
                columns.add(item.tableName() + "." + item.name());
            }
        }
        Set<String> present = new HashSet<>();
        for (Table t : Table.values()) {
            if (columns.contains(t.tableName() + "." + t.primaryKey().name())) {
                present.add(t.tableName());
                String key = t.primaryKey().name();
                boolean keyed = actual.stream().anyMatch(i -> i.tableName().equals(t.tableName())
                        && (i.kind().equals("primary-key") || i.kind().equals("unique")
                                || i.kind().equals("index") && i.definition().startsWith("UNIQUE"))
                        && (key.equals(i.definition()) || i.definition().endsWith("(" + key + ")")));
                if (!keyed) {
                    // the database itself keeps the key unique where it has a key constraint on it: no query needed
                    present.add(t.tableName() + ":unkeyed");
                }
                for (String c : columns) {
                    if (c.startsWith(t.tableName() + ".")) {
                        present.add(c);
                    }
                }
            }
        }
        if (columns.contains(SUMMARY_TABLE + ".customer_id")) {
            present.add(SUMMARY_TABLE);
        }
        if (columns.contains(MONTHS_TABLE + ".month")) {
            present.add(MONTHS_TABLE);
        }
        return new CheckScope(present);
    }

    private static Iterator<Finding> rows(Rule rule, Cursor<RowProblem> cursor, LocalDateTime now) {
        Iterator<RowProblem> it = cursor.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Finding next() {
                RowProblem p = it.next();
                return new Finding(p.tableName(), p.rowKey(), rule.word, detail(rule, p, now));
            }
        };
    }

    private static String detail(Rule rule, RowProblem p, LocalDateTime now) {
        return switch (rule) {
            case ORPHANS -> p.columnName() + " " + p.value() + " is not in " + p.expected();
            case MISSING -> p.columnName() + " is NULL; the schema requires a value";
            case DUPLICATES -> p.value() + " rows have " + p.columnName() + " " + p.rowKey();
            case STORED -> p.columnName() + " is stored as " + p.value() + ", not as "
                    + ("timestamp".equals(p.expected()) ? TIMESTAMP_FORM : "the integer 0 or 1");
            case STALE -> p.columnName() + " is " + (p.value() == null ? "NULL" : p.value())
                    + "; the customer's transactions give " + p.expected()
                    + " (refresh-customer-stats recomputes it)";
            case DOMAIN -> p.columnName() + ": " + DomainRules.rule(p.tableName(), p.columnName())
                    .message(p.value(), p.expected(), now);
        };
    }

    /** The parts one after the other, each started only when the one before is done. */
    private static final class Chain implements Iterator<Finding> {
        private final Deque<Supplier<Iterator<Finding>>> parts;
        private Iterator<Finding> current = java.util.Collections.emptyIterator();

        Chain(Deque<Supplier<Iterator<Finding>>> parts) {
            this.parts = parts;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && !parts.isEmpty()) {
                current = parts.poll().get();
            }
            return current.hasNext();
        }

        @Override
        public Finding next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
