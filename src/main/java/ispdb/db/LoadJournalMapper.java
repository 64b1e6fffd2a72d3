package ispdb.db;

import ispdb.model.LoadJournalEntry;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/** load_journal: what each load committed, and whether a file was loaded before. */
public interface LoadJournalMapper {
    void insert(LoadJournalEntry entry);

    /** The newest entry of a file with this digest loaded into this table, or null. */
    LoadJournalEntry latestOf(@Param("tableName") String tableName, @Param("sha256") String sha256);

    /** The entry of the load of this file by this command that started at this time (to the microsecond), or null. */
    LoadJournalEntry startedAt(@Param("tableName") String tableName, @Param("command") String command,
            @Param("fileName") String fileName, @Param("startedAt") java.time.LocalDateTime startedAt);

    /** The newest entries first; {@code limit} 0 means all. */
    Cursor<LoadJournalEntry> newestFirst(@Param("limit") long limit);
}
