package ispdb.report;

import ispdb.csv.ExportCsv;
import ispdb.db.Database;
import ispdb.db.TableRows;
import ispdb.model.Column;
import ispdb.model.Table;
import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.List;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * export: a table's rows in key order, streamed from the mapper's cursor, as CSV in exactly the form load-csv
 * reads (a header of the column names in the table's order; timestamps {@code YYYY-MM-DD HH:MM:SS.ffffff};
 * booleans {@code true}/{@code false}; numbers as Java writes a double, which reads back to the same double;
 * NULL as an empty field), or as JSON (an array, one object a line).
 */
public final class TableExport {
    private TableExport() {
    }

    private static long csv(Table table, List<String> names, Iterator<Object> rows, Writer out) throws IOException {
        out.write(String.join(",", names) + "\n");
        StringBuilder b = new StringBuilder(1 << 16);
        long n = 0;
        while (rows.hasNext()) {
            ExportCsv.append(b, table.values(rows.next()));
            b.append('\n');
            n++;
            if (b.length() >= (1 << 16) - 2048) {
                out.append(b);
                b.setLength(0);
            }
        }
        out.append(b);
        return n;
    }

    /** Writes every row of {@code table} to {@code out}; returns how many there were. */
    public static long write(Database db, Table table, Format format, Writer out) throws IOException {
        db.useMappers(TableRows.MAPPERS.toArray(Class<?>[]::new));
        List<String> names = table.columns().stream().map(Column::name).toList();
        Listing<Object> listing = new Listing<>(names, table::values, names.toArray(String[]::new),
                new boolean[names.size()], r -> new String[0], null, null);
        // a read: on SQLite (WAL) and on the servers it sees one snapshot and blocks no writer
        try (SqlSession session = db.session(ExecutorType.SIMPLE);
                Cursor<?> rows = TableRows.inKeyOrder(session, table)) {
            @SuppressWarnings("unchecked")
            Iterator<Object> iterator = (Iterator<Object>) rows.iterator();
            long n = format == Format.CSV ? csv(table, names, iterator, out) : listing.writeData(iterator, format, out);
            session.rollback(true);
            return n;
        } catch (RuntimeException e) {
            if (e instanceof ispdb.IspdbException) {
                throw e;
            }
            throw db.failure("read " + table.tableName(), e);
        }
    }
}
