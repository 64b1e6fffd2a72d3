package ispdb.db;

import ispdb.model.Finding;
import ispdb.model.Table;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
    public static final String SCHEMA_DRIFT = "schema-drift";
    public static final String DOMAIN_RULE = "domain-rule";

    private static final String TIMESTAMP_FORM = "text YYYY-MM-DD HH:MM:SS.ffffff";

    /** A rule over the rows: its word, its statement, and the columns its query's branches ask about. */
    private enum Rule {
        ORPHANS(ORPHAN_REFERENCE, CheckMapper::orphanReferences, false,
                "fact_transaction.customer_id", "fact_transaction.payment_method_id", "clv_prediction.customer_id"),
        MISSING(MISSING_REQUIRED, CheckMapper::missingRequired, false, "dim_payment_method.payment_method_name",
                "fact_transaction.customer_id", "fact_transaction.payment_method_id", "fact_transaction.transaction_date",
                "fact_transaction.amount", "clv_prediction.customer_id", "clv_prediction.clv",
                "clv_prediction.predicted_at"),
        DUPLICATES(DUPLICATE_KEY, CheckMapper::duplicateKeys, false, "dim_payment_method:unkeyed",
                "dim_customer:unkeyed", "fact_transaction:unkeyed", "clv_prediction:unkeyed"),
        STORED(STORED_FORM, CheckMapper::storedForms, false, "dim_customer.first_transaction_date",
                "dim_customer.last_transaction_date", "dim_customer.event_observed", "fact_transaction.transaction_date",
                "clv_prediction.is_campaign1_success", "clv_prediction.is_campaign2_success",
                "clv_prediction.predicted_at"),
        STALE(STALE_DERIVED, CheckMapper::staleDerived, true, "dim_customer.first_transaction_date",
                "dim_customer.last_transaction_date", "dim_customer.survival_time", "fact_transaction.customer_id",
                "fact_transaction.transaction_date"),
        /** The domain rules of {@link ispdb.model.RowRules}: asked by {@link #check} itself (they need the time). */
        DOMAIN(DOMAIN_RULE, null, false);

        final String word;
        final java.util.function.BiFunction<CheckMapper, CheckScope, Cursor<RowProblem>> query;
        /** Whether the query needs all of {@code uses} (else any one of them makes a branch). */
        final boolean needsAll;
        final List<String> uses;

        Rule(String word, java.util.function.BiFunction<CheckMapper, CheckScope, Cursor<RowProblem>> query,
                boolean needsAll, String... uses) {
            this.word = word;
            this.query = query;
            this.needsAll = needsAll;
            this.uses = List.of(uses);
        }

        String statement() {
            return CheckMapper.class.getName() + "." + switch (this) {
                case ORPHANS -> "orphanReferences";
                case MISSING -> "missingRequired";
                case DUPLICATES -> "duplicateKeys";
                case STORED -> "storedForms";
                case STALE -> "staleDerived";
                case DOMAIN -> "brokenRules";
            };
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
        db.useMappers(CheckMapper.class);
        List<CatalogItem> expected = ExpectedSchema.of(db);
        Integer version = Schema.installedVersion(db);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            if (db.dialect() == Dialect.POSTGRESQL) {
                session.getConnection().setReadOnly(true);
            }
            CheckMapper mapper = session.getMapper(CheckMapper.class);
            List<CatalogItem> actual = withChecks(mapper.catalog(null));
            CheckScope scope = scope(actual);
            List<Finding> drift = drift(version, scope, withChecks(expected), actual);
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
                } else if (rule.appliesTo(scope) && session.getConfiguration().hasStatement(rule.statement())) {
                    parts.add(() -> rows(rule, rule.query.apply(mapper, scope), now));
                }
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
            List<CatalogItem> actual = withChecks(session.getMapper(CheckMapper.class).catalog(null));
            return drift(version, scope(actual), withChecks(expected), actual);
        } catch (RuntimeException e) {
            throw db.failure("read the schema", e);
        }
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
        return new CheckScope(present);
    }

    /**
     * SQLite keeps a table's CHECKs only in its CREATE statement: they are read out of it (each {@code CHECK (...)},
     * spaces made single) as items of their own; the statement itself is dropped.
     */
    static List<CatalogItem> withChecks(List<CatalogItem> items) {
        List<CatalogItem> out = new ArrayList<>();
        for (CatalogItem item : items) {
            if (!item.kind().equals("table-sql")) {
                out.add(item);
                continue;
            }
            String sql = item.definition() == null ? "" : item.definition();
            String upper = sql.toUpperCase(java.util.Locale.ROOT);
            int at = 0;
            while ((at = upper.indexOf("CHECK", at)) >= 0) {
                int open = sql.indexOf('(', at);
                boolean word = (at == 0 || !Character.isLetterOrDigit(sql.charAt(at - 1)) && sql.charAt(at - 1) != '_')
                        && open > 0 && sql.substring(at + 5, open).isBlank();
                if (!word) {
                    at += 5;
                    continue;
                }
                int depth = 0;
                int end = open;
                for (; end < sql.length(); end++) {
                    char ch = sql.charAt(end);
                    if (ch == '(') {
                        depth++;
                    } else if (ch == ')' && --depth == 0) {
                        break;
                    }
                }
                String clause = "CHECK " + sql.substring(open, Math.min(end + 1, sql.length())).replaceAll("\\s+", " ");
                out.add(new CatalogItem(item.tableName(), "check", clause, clause));
                at = end;
            }
        }
        return out;
    }

    private static List<Finding> drift(Integer version, CheckScope scope, List<CatalogItem> expected,
            List<CatalogItem> actual) {
        List<Finding> findings = new ArrayList<>();
        boolean anyTable = java.util.Arrays.stream(Table.values()).anyMatch(t -> scope.has(t.tableName()));
        if (version == null && !anyTable) {
            findings.add(new Finding("flyway_schema_history", "-", SCHEMA_DRIFT,
                    "no ispdb schema: create it with 'ispdb init-schema'"));
        } else if (version == null) {
            findings.add(new Finding("flyway_schema_history", "-", SCHEMA_DRIFT, "no ispdb schema history: ispdb "
                    + "did not make this schema (take over such a database with 'ispdb init-schema --adopt')"));
        } else if (version < Schema.VERSION) {
            findings.add(new Finding("flyway_schema_history", Integer.toString(version), SCHEMA_DRIFT,
                    "schema version " + version + ", this ispdb's is " + Schema.VERSION
                            + ": upgrade it with 'ispdb init-schema'"));
        } else if (version > Schema.VERSION) {
            findings.add(new Finding("flyway_schema_history", Integer.toString(version), SCHEMA_DRIFT,
                    "schema version " + version + " is newer than this ispdb's (" + Schema.VERSION
                            + "): compared with version " + Schema.VERSION));
        }
        Map<String, Map<String, CatalogItem>> want = byTable(expected);
        Map<String, Map<String, CatalogItem>> have = byTable(actual);
        for (Map.Entry<String, Map<String, CatalogItem>> table : want.entrySet()) {
            String name = table.getKey();
            if (name.startsWith("sqlite_")) {
                continue; // SQLite's own (sqlite_sequence, made for AUTOINCREMENT)
            }
            Map<String, CatalogItem> found = have.get(name);
            if (found == null) {
                findings.add(new Finding(name, name, SCHEMA_DRIFT, "table " + name + " is missing"));
                continue;
            }
            for (Map.Entry<String, CatalogItem> e : table.getValue().entrySet()) {
                CatalogItem w = e.getValue();
                CatalogItem h = found.get(e.getKey());
                if (h == null) {
                    findings.add(new Finding(name, w.name(), SCHEMA_DRIFT, "missing " + describe(w)));
                } else if (!java.util.Objects.equals(w.definition(), h.definition())) {
                    findings.add(new Finding(name, w.name(), SCHEMA_DRIFT, w.kind() + " " + w.name() + " is "
                            + h.definition() + " (the migrated schema has " + w.definition() + ")"));
                }
            }
            for (Map.Entry<String, CatalogItem> e : found.entrySet()) {
                if (!table.getValue().containsKey(e.getKey())) {
                    CatalogItem h = e.getValue();
                    findings.add(new Finding(name, h.name(), SCHEMA_DRIFT, "extra " + describe(h)
                            + ", not in the migrated schema"));
                }
            }
        }
        return findings;
    }

    /** "index ix_x (customer_id)", "CHECK (x IN (0, 1))" (named by its clause on SQLite). */
    private static String describe(CatalogItem item) {
        if (item.name().equals(item.definition())) {
            return item.name();
        }
        return item.kind() + " " + item.name() + ": " + item.definition();
    }

    /** Items by table (the four in key order, then the others by name), then by kind and name. */
    private static Map<String, Map<String, CatalogItem>> byTable(List<CatalogItem> items) {
        List<CatalogItem> sorted = new ArrayList<>(items);
        sorted.sort(java.util.Comparator.comparing((CatalogItem i) -> tableOrder(i.tableName()))
                .thenComparing(CatalogItem::tableName).thenComparing(i -> kindOrder(i.kind()))
                .thenComparing(CatalogItem::name));
        Map<String, Map<String, CatalogItem>> map = new LinkedHashMap<>();
        for (CatalogItem i : sorted) {
            map.computeIfAbsent(i.tableName(), t -> new LinkedHashMap<>()).put(i.kind() + " " + i.name(), i);
        }
        return map;
    }

    private static int tableOrder(String table) {
        for (Table t : Table.values()) {
            if (t.tableName().equals(table)) {
                return t.ordinal();
            }
        }
        return Table.values().length;
    }

    private static int kindOrder(String kind) {
        int i = List.of("column", "primary-key", "unique", "foreign-key", "check", "index").indexOf(kind);
        return i < 0 ? 99 : i;
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
