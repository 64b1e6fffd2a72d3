package ispdb.db;

import ispdb.model.LoadJournalEntry;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/** load_journal: what each load committed, and whether a file was loaded before; load_claim: the loads that may not repeat. */
public interface LoadJournalMapper {
    void insert(LoadJournalEntry entry);

    /** The newest entry of a file with this digest (or {@code formerSha256}, if not null) loaded into this table, or null. */
    LoadJournalEntry latestOf(@Param("tableName") String tableName, @Param("sha256") String sha256,
            @Param("formerSha256") String formerSha256);

    /**
     * Claims a file's content for its one load into this table (load_claim): a duplicate key if another load's
     * claim committed; one not yet committed is waited for (or, on Galera, conflicts at commit).
     */
    void claim(@Param("tableName") String tableName, @Param("sha256") String sha256);

    /** The entry of the load of this file by this command that started at this time (to the microsecond), or null. */
    LoadJournalEntry startedAt(@Param("tableName") String tableName, @Param("command") String command,
            @Param("fileName") String fileName, @Param("startedAt") java.time.LocalDateTime startedAt);

    /** The newest entries first; {@code limit} 0 means all. */
    Cursor<LoadJournalEntry> newestFirst(@Param("limit") long limit);
}
