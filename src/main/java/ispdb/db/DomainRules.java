package ispdb.db;

import ispdb.model.RowRules;
import ispdb.model.Table;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The domain rules of {@link RowRules} as parameters of the SQL that says them (CheckMapper.xml's {@code breaks}
 * fragment, used by check and init-schema --adopt): one map a rule, with the table, its key, the column, the kind,
 * the bounds and the other column. The names are those of {@link Table}, never user input.
 */
public final class DomainRules {
    private DomainRules() {
    }

    /** The rules on a table whose columns {@code has} (a "table.column" name) says are there. */
    public static List<Map<String, Object>> of(Table table, Predicate<String> has) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RowRules.Rule r : RowRules.rules(table)) {
            String t = table.tableName();
            if (!has.test(t + "." + r.column().name()) || r.other() != null && !has.test(t + "." + r.other())) {
                continue;
            }
            Map<String, Object> m = new HashMap<>();
            m.put("table", t);
            m.put("key", table.primaryKey().name());
            m.put("column", r.column().name());
            m.put("kind", r.kind().name());
            m.put("low", r.low());
            m.put("high", r.high());
            m.put("other", r.other());
            out.add(m);
        }
        return out;
    }

    /** The rule on a table's column. */
    public static RowRules.Rule rule(String table, String column) {
        Table t = Table.named(table).orElseThrow();
        return RowRules.rules(t).stream().filter(r -> r.column().name().equals(column)).findFirst().orElseThrow();
    }

    /** The latest time a value may have under the not-in-the-future rule, at {@code now}. */
    public static LocalDateTime latest(LocalDateTime now) {
        return now.plus(RowRules.CLOCK_SKEW);
    }
}
