package ispdb.db;

/**
 * One thing of a table's schema as the database's own catalog describes it: a column, the primary key, an index,
 * a foreign key or a CHECK ({@code kind}), its name and its definition in the catalog's words. The same
 * migration gives the same items on the same kind of database, so two catalogs compare item by item.
 */
public record CatalogItem(String tableName, String kind, String name, String definition) {
}
