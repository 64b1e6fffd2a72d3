package ispdb.report;

import ispdb.db.Database;
import ispdb.db.LoadJournalMapper;
import ispdb.model.LoadJournalEntry;
import ispdb.model.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** history: the load journal, newest first. */
public final class LoadHistory {
    static final List<String> COLUMNS = List.of("load_id", "command", "table_name", "file_name", "file_size",
            "sha256", "rows_read", "rows_loaded", "rows_skipped", "rows_rejected", "started_at", "finished_at",
            "ispdb_version", "os_user");
    private static final boolean[] RIGHT = {true, false, false, false, true, false, true, true, true, true, false,
        false, false, false};
    private static final Listing<LoadJournalEntry> LISTING = new Listing<>(COLUMNS, LoadHistory::values,
            COLUMNS.toArray(String[]::new), RIGHT, LoadHistory::cells, "load", "loads");

    private LoadHistory() {
    }

    /** Streams the newest {@code limit} entries (0: all) to {@code out}; returns how many there were. */
    public static long write(Database db, long limit, Format format, PrintWriter out) {
        db.useMappers(LoadJournalMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE);
                Cursor<LoadJournalEntry> entries = session.getMapper(LoadJournalMapper.class).newestFirst(limit)) {
            return LISTING.write(entries.iterator(), format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (e instanceof UncheckedIOException || e instanceof ispdb.IspdbException) {
                throw e;
            }
            throw db.failure("read the load journal", e);
        }
    }

    private static Object[] values(LoadJournalEntry e) {
        return new Object[] {e.loadId(), e.command(), e.tableName(), e.fileName(), e.fileSize(), e.sha256(),
            e.rowsRead(), e.rowsLoaded(), e.rowsSkipped(), e.rowsRejected(), e.startedAt(), e.finishedAt(),
            e.ispdbVersion(), e.osUser()};
    }

    private static String[] cells(LoadJournalEntry e) {
        Object[] v = values(e);
        String[] cells = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            cells[i] = v[i] == null ? "" : v[i] instanceof java.time.LocalDateTime t ? Timestamps.format(t)
                    : v[i].toString();
        }
        return cells;
    }
}
