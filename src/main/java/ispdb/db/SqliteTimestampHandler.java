package ispdb.db;

import ispdb.model.Timestamps;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * Timestamps on SQLite: text {@code YYYY-MM-DD HH:MM:SS.ffffff}, as the analysts' SQLAlchemy models read and
 * write them. sqlite-jdbc's own date handling (epoch numbers, millisecond text) is kept away from them.
 */
public final class SqliteTimestampHandler extends BaseTypeHandler<LocalDateTime> {
    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, LocalDateTime value, JdbcType jdbcType)
            throws SQLException {
        ps.setString(i, Timestamps.format(value));
    }

    @Override
    public LocalDateTime getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return read(rs.getString(columnName));
    }

    @Override
    public LocalDateTime getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return read(rs.getString(columnIndex));
    }

    @Override
    public LocalDateTime getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return read(cs.getString(columnIndex));
    }

    private static LocalDateTime read(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SQLException("a stored timestamp is " + e.getMessage());
        }
    }
}
