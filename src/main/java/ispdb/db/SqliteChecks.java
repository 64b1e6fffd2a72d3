package ispdb.db;

import java.util.ArrayList;
import java.util.List;

/** SQLite's CHECK constraints, which its catalog keeps only inside a table's CREATE statement. */
final class SqliteChecks {
    private SqliteChecks() {
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
}
