package ispdb.cli;

import ispdb.model.Table;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** What --table completes to: every name {@link Table#named} reads, each table's alias and its name. */
final class TableNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        for (Table t : Table.values()) {
            names.add(t.alias());
            names.add(t.tableName());
        }
        return names.iterator();
    }
}
