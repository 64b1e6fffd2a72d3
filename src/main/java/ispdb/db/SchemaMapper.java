package ispdb.db;

import java.util.List;

/** Questions about the schema itself. */
public interface SchemaMapper {
    /** Versions of the successful migrations recorded by Flyway; fails if there is no history table. */
    List<String> installedVersions();

    /** Rows in one of the four tables, named by its table name (any other name is refused by the mapper). */
    long countRows(String tableName);
}
