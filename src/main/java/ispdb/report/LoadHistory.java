package ispdb.report;

import ispdb.db.Database;
import ispdb.db.LoadJournalMapper;
import ispdb.model.LoadJournalEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** history: the load journal, newest first. */
public final class LoadHistory {
    static final List<String> COLUMNS = List.of("load_id", "command", "table_name", "file_name", "file_size",
            "sha256", "rows_read", "rows_loaded", "rows_skipped", "rows_rejected", "started_at", "finished_at",
            "ispdb_version", "os_user");

    private LoadHistory() {
    }

    /** Streams the newest {@code limit} entries (0: all) to {@code out}; returns how many there were. */
    public static long write(Database db, long limit, Listing.Format format, PrintWriter out) {
        db.useMappers(LoadJournalMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE);
                Cursor<LoadJournalEntry> entries = session.getMapper(LoadJournalMapper.class).newestFirst(limit)) {
            Iterator<LoadJournalEntry> it = entries.iterator();
            Iterator<Object[]> rows = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Object[] next() {
                    LoadJournalEntry e = it.next();
                    return new Object[] {e.loadId(), e.command(), e.tableName(), e.fileName(), e.fileSize(),
                        e.sha256(), e.rowsRead(), e.rowsLoaded(), e.rowsSkipped(), e.rowsRejected(), e.startedAt(),
                        e.finishedAt(), e.ispdbVersion(), e.osUser()};
                }
            };
            return new Listing(COLUMNS, "load").write(rows, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (e instanceof UncheckedIOException || e instanceof ispdb.IspdbException) {
                throw e;
            }
            throw db.failure("read the load journal", e);
        }
    }
}
