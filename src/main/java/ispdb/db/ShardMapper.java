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

    /**
     * Takes the head's lock of ispdb's loads into this database, waiting up to the head's lock_wait_timeout: granted
     * (1 taken, 0 timed out, null an error) and seconds (that timeout).
     */
    Map<String, Object> lockLoads();

    /** Lets go of the lock of {@link #lockLoads} (1), or says it was not this session's (0, null). */
    Integer unlockLoads();
}
