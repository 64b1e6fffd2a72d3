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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.ResultMapping;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.type.TypeHandler;

/**
 * A table of another ispdb database (copy): its rows in key order, streamed from the mapper's cursor on the
 * source's read session; each value checked as a CSV field would be ({@link Values#check}). A row is named
 * {@code TABLE:N}, its number in key order. The journal records the rows' export form: its size, and its SHA-256,
 * which is what {@code ispdb export --table TABLE --url SOURCE | sha256sum} prints.
 */
final class DatabaseRows implements RowSource {
    /** Tables of at least this many rows take the bulk path (tests lower it: ispdb.test.bulkLoadRows). */
    /** Rows a fetch brings from a server (PostgreSQL: a cursor, as the session does not auto-commit). */
    private static final int FETCH_ROWS = 5000;
    private static final long BULK_ROWS = Long.getLong("ispdb.test.bulkLoadRows", 200_000);

    private final SqlSession session;
    private final Table table;
    private final String journalName;
    private final long rows;
    private final MessageDigest digest;
    private final StringBuilder line = new StringBuilder(256);
    private PreparedStatement statement;
    private ResultSet results;
    private TypeHandler<?>[] handlers;
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

    /**
     * Runs the mapper's {@code inKeyOrder} statement (its SQL and its result map's type handlers, from MyBatis)
     * on the session's connection and reads each row's columns by position: the same values as the mapper's
     * cursor gives export, without MyBatis' reflection on every row (as RowSink binds rows).
     */
    @Override
    public void open() throws IOException {
        Configuration configuration = session.getConfiguration();
        MappedStatement ms = configuration.getMappedStatement(TableRows.statement(table, "inKeyOrder"));
        List<ResultMapping> columns = ms.getResultMaps().get(0).getConstructorResultMappings();
        handlers = new TypeHandler<?>[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).getColumn().equals(table.columns().get(i).name())) {
                throw new IllegalStateException(ms.getId() + " maps " + columns.get(i).getColumn() + " where "
                        + table.tableName() + " has " + table.columns().get(i).name());
            }
            handlers[i] = columns.get(i).getTypeHandler();
        }
        try {
            statement = session.getConnection().prepareStatement(ms.getBoundSql(null).getSql(),
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(FETCH_ROWS);
            results = statement.executeQuery();
        } catch (SQLException e) {
            throw new PersistenceException("read " + table.tableName(), e);
        }
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
        Object[] values = new Object[handlers.length];
        try {
            if (!results.next()) {
                return null;
            }
            for (int i = 0; i < handlers.length; i++) {
                values[i] = handlers[i].getResult(results, i + 1);
            }
        } catch (SQLException e) {
            throw new PersistenceException("read " + table.tableName(), e);
        }
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
        try (PreparedStatement closing = statement) {
            // the statement closes its results
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
