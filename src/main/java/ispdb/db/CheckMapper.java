package ispdb.db;

import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/**
 * check's questions: the catalog of the database (or of the scratch copy of the migrated schema), and one
 * set-based query per rule over the four tables.
 */
public interface CheckMapper {
    /**
     * The columns, keys, indexes, foreign keys and CHECKs of the tables. {@code scratch}: null for the checked
     * database itself; on PostgreSQL any text for this session's temporary schema, on MariaDB the scratch
     * database's name. (SQLite's scratch copy is a database of its own, read with null.)
     */
    List<CatalogItem> catalog(@Param("scratch") String scratch);

    /** PostgreSQL: tables created until the end of this transaction go to the session's temporary schema. */
    void useTemporarySchema();

    /** MariaDB: the scratch database for the migrated schema (the name is ispdb's own, digits and underscores). */
    void createScratchDatabase(@Param("name") String name);

    void dropScratchDatabase(@Param("name") String name);

    Cursor<RowProblem> orphanReferences(CheckScope scope);

    Cursor<RowProblem> missingRequired(CheckScope scope);

    Cursor<RowProblem> duplicateKeys(CheckScope scope);

    /** SQLite only: timestamps and booleans not in the stored form. */
    Cursor<RowProblem> storedForms(CheckScope scope);

    Cursor<RowProblem> staleDerived(CheckScope scope);

    /**
     * The rows that break the domain rules (maps of {@link DomainRules}); {@code latest}: the latest time a
     * not-in-the-future rule allows.
     */
    Cursor<RowProblem> brokenRules(@Param("rules") List<java.util.Map<String, Object>> rules,
            @Param("latest") java.time.LocalDateTime latest);
}
