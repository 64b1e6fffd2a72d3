package ispdb.db;

import ispdb.IspdbException;
import ispdb.model.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * The least privileges of ispdb's two kinds of database user, granted to a role or user that exists already:
 * a reader may run every command that only reads (list-customers, export, check, rfm-summary, survival, report,
 * history, schema-status); a loader may also load, record predictions, refresh customer stats and prune
 * predictions (DELETE on clv_prediction, and on no other table), and never changes the schema (no DDL: init-schema is refused). SQLite has no roles.
 */
public final class Grants {
    /** What a role may do. */
    public enum Kind {
        READER("reader"), LOADER("loader");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /**
     * The tables ispdb reads besides its four: the load journal, the load claims, the customers' purchase summaries
     * and the revenue per month (which every load writes), and the schema's history.
     */
    private static final List<String> BOOKKEEPING = List.of("load_journal", "load_claim", "customer_purchase_summary",
            "monthly_revenue");
    private static final String SCHEMA_HISTORY = "flyway_schema_history";
    /**
     * The tables whose rows a loader deletes and makes again: the purchase summaries of the customers a load touched,
     * the revenue of its months.
     */
    private static final List<String> REMADE = List.of("customer_purchase_summary", "monthly_revenue");

    /** A PostgreSQL role, or a MariaDB role or user name: an identifier, checked before it goes into a GRANT. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    /** MariaDB's {@code 'user'@'host'} (the quotes optional); a host such as localhost, 10.0.0.%, %, ::1. */
    private static final Pattern USER_AT_HOST =
            Pattern.compile("'?([A-Za-z_][A-Za-z0-9_]{0,62})'?@'?([A-Za-z0-9_.%:-]{1,255})'?");

    /** A role as given on the command line, checked: {@code host} is MariaDB's, or null. */
    public record Grantee(String name, String host) {
        /** Checks a role's name for this database (a usage error, exit code 2, if it is not a plain name). */
        public static Grantee parse(String role, Dialect dialect) {
            if (NAME.matcher(role).matches()) {
                return new Grantee(role, null);
            }
            Matcher m = USER_AT_HOST.matcher(role);
            if (dialect == Dialect.MYSQL && m.matches()) {
                return new Grantee(m.group(1), m.group(2));
            }
            throw IspdbException.usage("'" + role + "' is not a role name ispdb grants to: give a name of letters, "
                    + "digits and _ (not starting with a digit, at most 63)"
                    + (dialect == Dialect.MYSQL ? ", or a MariaDB user as 'name'@'host'" : ""));
        }

        @Override
        public String toString() {
            return host == null ? name : "'" + name + "'@'" + host + "'";
        }
    }

    private Grants() {
    }

    /** The tables a role of this kind reads, and those it writes. */
    static List<String> readTables() {
        List<String> tables = writeTables();
        tables.add(SCHEMA_HISTORY);
        return tables;
    }

    static List<String> writeTables() {
        List<String> tables = new ArrayList<>();
        for (Table table : Table.values()) {
            tables.add(table.tableName());
        }
        tables.addAll(BOOKKEEPING);
        return tables;
    }

    /**
     * Grants a role the privileges of its kind on ispdb's tables, in one transaction; returns the statements' count.
     * The schema must be there (init-schema, run by its owner).
     */
    public static int grant(Database db, Kind kind, Grantee grantee) {
        if (db.dialect() == Dialect.SQLITE) {
            throw IspdbException.usage(NO_ROLES);
        }
        db.requireSchema();
        db.useMappers(GrantMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            GrantMapper mapper = session.getMapper(GrantMapper.class);
            if (!mapper.mayGrant()) {
                throw IspdbException.database("could not grant the " + kind + "'s privileges to " + grantee + " in "
                        + db.describe() + ": this user may not grant privileges on ispdb's tables (run it as the "
                        + "schema's owner, the user that ran init-schema)", null);
            }
            String quoted = mapper.grantee(grantee.name(), grantee.host());
            int statements = 0;
            if (db.dialect() == Dialect.POSTGRESQL) {
                mapper.grantSchemaUsage(mapper.schema(), quoted);
            } else {
                mapper.grantCatalogView(quoted);
                mapper.grantCheckScratch(quoted);
                statements++;
            }
            statements++;
            for (String table : readTables()) {
                mapper.grantSelect(table, quoted);
                statements++;
            }
            if (kind == Kind.LOADER) {
                for (String table : writeTables()) {
                    mapper.grantWrite(table, quoted);
                    statements++;
                }
                for (String table : REMADE) {
                    mapper.grantDelete(table, quoted);
                    statements++;
                }
                mapper.grantDelete(Table.PREDICTION.tableName(), quoted);
                statements++;
                if (db.dialect() == Dialect.POSTGRESQL) {
                    for (String sequence : mapper.sequences()) {
                        mapper.grantSequence(sequence, quoted);
                        statements++;
                    }
                }
            }
            session.commit(true);
            return statements;
        } catch (RuntimeException e) {
            if (e instanceof IspdbException) {
                throw e;
            }
            throw db.failure("grant the " + kind + "'s privileges to " + grantee, e);
        }
    }

    /** Why grant does nothing on SQLite. */
    public static final String NO_ROLES = "SQLite has no roles or users: the database file's permissions are its "
            + "access control (see docs/files.md), so there is nothing to grant";
}
