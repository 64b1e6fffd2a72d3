package ispdb.load;

import ispdb.csv.ExportCsv;
import ispdb.db.TableRows;
import ispdb.model.Column;
import ispdb.model.Table;
import ispdb.model.Values;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.io.IOException;
import java.util.Iterator;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.SqlSession;

/**
 * A table of another ispdb database (copy): its rows in key order, streamed from the mapper's cursor on the
 * source's read session; each value checked as a CSV field would be ({@link Values#check}). A row is named
 * {@code TABLE:N}, its number in key order. The journal records the rows' export form: its size, and its SHA-256,
 * which is what {@code ispdb export --table TABLE --url SOURCE | sha256sum} prints.
 */
final class DatabaseRows implements RowSource {
    /** Tables of at least this many rows take the bulk path (tests lower it: ispdb.test.bulkLoadRows). */
    private static final long BULK_ROWS = Long.getLong("ispdb.test.bulkLoadRows", 200_000);

    private final SqlSession session;
    private final Table table;
    private final String journalName;
    private final long rows;
    private final MessageDigest digest;
    private final StringBuilder line = new StringBuilder(256);
    private Cursor<?> cursor;
    private Iterator<?> iterator;
    private long read;
    private long bytes;

    /**
     * @param session the source's read session (one for all tables: one snapshot)
     * @param source the source, as the journal names it (a URL without its password)
     * @param rows the table's row count in that snapshot
     */
    DatabaseRows(SqlSession session, Table table, String source, long rows) {
        this.session = session;
        this.table = table;
        this.journalName = source + " " + table.tableName();
        this.rows = rows;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Table table() {
        return table;
    }

    @Override
    public String name() {
        return table.tableName();
    }

    @Override
    public String journalName() {
        return journalName;
    }

    /** Opens the table's {@code inKeyOrder} cursor on the session (one snapshot for all tables). */
    @Override
    public void open() throws IOException {
        cursor = TableRows.inKeyOrder(session, table);
        iterator = cursor.iterator();
        List<String> names = table.columns().stream().map(Column::name).toList();
        digest(String.join(",", names));
    }

    @Override
    public boolean givesKeys() {
        return true;
    }

    @Override
    public boolean large() {
        return rows >= BULK_ROWS;
    }

    @Override
    public Row next() {
        if (!iterator.hasNext()) {
            return null;
        }
        Object[] values = table.values(iterator.next());
        read++;
        line.setLength(0);
        ExportCsv.append(line, values);
        digest(line);
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            try {
                Values.check(columns.get(i), values[i]);
            } catch (IllegalArgumentException e) {
                return new Row(read, values, columns.get(i).name(), e.getMessage(), values);
            }
        }
        return new Row(read, values, null, null, values);
    }

    private void digest(CharSequence text) {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        digest.update(b);
        bytes += b.length;
    }

    @Override
    public long done() {
        return read;
    }

    @Override
    public long total() {
        return rows;
    }

    @Override
    public String finish() {
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public long journalSize() {
        return bytes;
    }

    @Override
    public boolean refusedIfRepeated() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (cursor != null) {
            cursor.close();
        }
    }
}
