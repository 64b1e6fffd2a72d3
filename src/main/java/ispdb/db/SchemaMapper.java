package ispdb.db;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Questions about the schema itself. */
public interface SchemaMapper {
    /** Versions of the successful migrations recorded by Flyway; fails if there is no history table. */
    List<String> installedVersions();

    /** Whether the database (its current schema, on PostgreSQL) has a table of this name, from its catalog. */
    boolean hasTable(String tableName);

    /** Rows in one of the four tables, named by its table name (any other name is refused by the mapper). */
    long countRows(@Param("tableName") String tableName);

    /** As {@link #countRows}, counting no further than {@code limit} (a big table's size is then read cheaply). */
    long countRowsUpTo(@Param("tableName") String tableName, @Param("limit") long limit);

    /**
     * The table's secondary indexes, read from the catalog (SQLite and PostgreSQL, whose bulk load may build the
     * indexes once at the end: see ispdb.load.BulkLoad).
     */
    List<SecondaryIndex> secondaryIndexes(String tableName);
}
