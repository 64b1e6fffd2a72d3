package ispdb.db;

import java.util.Map;

/**
 * Session settings for a node of a MariaDB Galera cluster (statements for MariaDB/MySQL only; see
 * {@link Database#session}).
 */
public interface ClusterMapper {
    /** The row of {@code SHOW VARIABLES LIKE 'wsrep_on'} (Value ON on a Galera node), or null (MySQL). */
    Map<String, Object> wsrepOn();

    /** (Run by Database on the connection itself.) This session's reads wait until the node has applied every write set the cluster committed before them. */
    void readYourWrites();

    /** This session's transactions replicate in fragments as they grow, not as one write set at commit. */
    void streamLargeTransactions();
}
