package ispdb.db;

import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Param;

/** The sharded layout's statements (ShardMapper.xml, MariaDB only): run by {@link Shards}. */
interface ShardMapper {
    List<ShardedTable> tables(@Param("schema") String schema, @Param("tables") List<String> tables);

    /** Each with table_name and name. */
    List<Map<String, Object>> foreignKeys(@Param("schema") String schema, @Param("tables") List<String> tables);

    /** The server definitions of these names, each with name, host and port. */
    List<Map<String, Object>> servers(@Param("names") List<String> names);

    void dropForeignKey(@Param("table") String table, @Param("name") String name);

    void addCustomerToPrimaryKey(@Param("table") String table, @Param("columns") List<String> columns);

    void createServer(@Param("name") String name, @Param("host") String host, @Param("port") int port,
            @Param("user") String user, @Param("password") String password, @Param("database") String database);

    void partitionByCustomer(@Param("table") String table, @Param("servers") List<String> servers);

    /** {@code servers}: the servers' names, separated by spaces. */
    void replicate(@Param("table") String table, @Param("servers") String servers);
}
