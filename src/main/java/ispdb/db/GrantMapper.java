package ispdb.db;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * The GRANT statements of {@code ispdb grant} (GrantMapper.xml, by database). Run by {@link Grants} only, which
 * validates the role's name first: GRANT takes its grantee, table and sequence as identifiers, which JDBC cannot
 * bind, so these statements put them in with {@code ${}}, each quoted by the server ({@link #grantee}).
 */
interface GrantMapper {
    /** The grantee as the server quotes it: {@code "name"} (PostgreSQL), {@code 'name'@'host'} or {@code 'role'}. */
    String grantee(@Param("name") String name, @Param("host") String host);

    /** Whether this user may grant the privileges on ispdb's tables (PostgreSQL; MariaDB refuses by itself). */
    boolean mayGrant();

    /** PostgreSQL: the schema ispdb's tables are in, quoted. */
    String schema();

    /** PostgreSQL: the sequences of the identity columns, as the catalog names them (quoted where needed). */
    List<String> sequences();

    /** PostgreSQL: the use of the schema (to see the tables in it). */
    void grantSchemaUsage(@Param("schema") String schema, @Param("grantee") String grantee);

    /** Reading the table. */
    void grantSelect(@Param("table") String table, @Param("grantee") String grantee);

    /** Adding and changing rows (loads, upserts, refreshed stats, the journal): never DDL. */
    void grantWrite(@Param("table") String table, @Param("grantee") String grantee);

    /**
     * Deleting rows: of clv_prediction (prune-predictions) and of the tables whose rows ispdb makes again (the
     * customers' purchase summaries, which a load deletes and inserts for the customers it touched); no other.
     */
    void grantDelete(@Param("table") String table, @Param("grantee") String grantee);

    /** MariaDB: the sight of the database's keys and foreign keys in information_schema (for check). */
    void grantCatalogView(@Param("grantee") String grantee);

    /** MariaDB: check's scratch databases, {@code ispdb_check_*} (see ExpectedSchema). */
    void grantCheckScratch(@Param("grantee") String grantee);

    /** PostgreSQL: drawing ids from a sequence and moving it past loaded ids (setval). */
    void grantSequence(@Param("sequence") String sequence, @Param("grantee") String grantee);
}
