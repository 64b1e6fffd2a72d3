package ispdb.db;

import ispdb.model.Finding;
import ispdb.model.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema drift (check, init-schema --adopt): the database's catalog compared with the migrated schema's
 * ({@link ExpectedSchema}), item by item, as findings.
 */
final class SchemaDrift {
    /** The findings' rule word. */
    static final String RULE = "schema-drift";

    private SchemaDrift() {
    }

    /**
     * What differs: the schema version first, then per table (the four in key order) each missing, different or
     * extra item.
     */
    static List<Finding> findings(Integer version, CheckScope scope, List<CatalogItem> expected,
            List<CatalogItem> actual) {
        List<Finding> findings = new ArrayList<>();
        boolean anyTable = java.util.Arrays.stream(Table.values()).anyMatch(t -> scope.has(t.tableName()));
        if (version == null && !anyTable) {
            findings.add(new Finding("flyway_schema_history", "-", RULE, Schema.NONE));
        } else if (version == null) {
            findings.add(new Finding("flyway_schema_history", "-", RULE, "no ispdb schema history: ispdb "
                    + "did not make this schema (take over such a database with 'ispdb init-schema --adopt')"));
        } else if (version < Schema.VERSION) {
            findings.add(new Finding("flyway_schema_history", Integer.toString(version), RULE,
                    "schema version " + version + ", this ispdb's is " + Schema.VERSION
                            + ": upgrade it with 'ispdb init-schema'"));
        } else if (version > Schema.VERSION) {
            findings.add(new Finding("flyway_schema_history", Integer.toString(version), RULE,
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
                findings.add(new Finding(name, name, RULE, "table " + name + " is missing"));
                continue;
            }
            for (Map.Entry<String, CatalogItem> e : table.getValue().entrySet()) {
                CatalogItem w = e.getValue();
                CatalogItem h = found.get(e.getKey());
                if (h == null) {
                    findings.add(new Finding(name, w.name(), RULE, "missing " + describe(w)));
                } else if (!java.util.Objects.equals(w.definition(), h.definition())) {
                    findings.add(new Finding(name, w.name(), RULE, w.kind() + " " + w.name() + " is "
                            + h.definition() + " (the migrated schema has " + w.definition() + ")"));
                }
            }
            for (Map.Entry<String, CatalogItem> e : found.entrySet()) {
                if (!table.getValue().containsKey(e.getKey())) {
                    CatalogItem h = e.getValue();
                    findings.add(new Finding(name, h.name(), RULE, "extra " + describe(h)
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
}
