package ispdb.db;

import ispdb.IspdbException;
import ispdb.model.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.output.MigrateResult;
import org.sqlite.SQLiteErrorCode;

/** The versioned schema: Flyway migrations per database, recorded in the database's flyway_schema_history. */
public final class Schema {
    /** The newest schema version this ispdb knows. */
    public static final int VERSION = 6;
    /** What a database without ispdb's schema lacks, and what to do: "DATABASE has " + this, or a finding. */
    public static final String NONE = "no ispdb schema: create it with 'ispdb init-schema'";
    /** The migration files, oldest first; each database has its own copy in {@link Dialect#migrations()}. */
    public static final List<String> MIGRATIONS = List.of("V1__create_schema.sql", "V2__load_journal.sql",
            "V3__clv_index.sql", "V4__load_claim.sql", "V5__customer_purchase_summary.sql",
            "V6__monthly_revenue.sql");

    private static final Logger LOG = LogManager.getLogger(Schema.class);

    /**
     * The checksums Flyway recorded for ispdb's earlier texts of its migrations, by version: MariaDB's before their
     * statements became safe to repeat (IF NOT EXISTS). A database made with them is the same schema.
     */
    private static final Map<Dialect, Map<String, Set<Integer>>> EARLIER_CHECKSUMS = Map.of(Dialect.MYSQL, Map.of(
            "1", Set.of(-581167267), "2", Set.of(1130737203), "3", Set.of(-1971266276)));

    /** What init-schema did. */
    public record Outcome(Integer versionBefore, int versionAfter, List<String> applied) {
        public boolean changed() {
            return !applied.isEmpty();
        }
    }

    /** What schema-status shows. */
    public record Status(Integer version, Map<String, Long> rowCounts) {
    }

    private Schema() {
    }

    /** The DDL init-schema would run on this kind of database, for --dry-run. */
    public static String ddl(Dialect dialect) {
        StringBuilder s = new StringBuilder();
        for (String file : MIGRATIONS) {
            String path = dialect.migrations() + "/" + file;
            try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing migration " + path);
                }
                s.append("-- ").append(path).append('\n');
                s.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                if (s.charAt(s.length() - 1) != '\n') {
                    s.append('\n');
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return s.toString();
    }

    /**
     * The statements of this kind of database's migrations, in order, as init-schema's DDL runs them: the files
     * split at the semicolons that end their statements, without comments. (check builds the migrated schema with
     * them on a scratch database to compare catalogs; the migrations hold no semicolon inside a statement.)
     */
    public static List<String> statements(Dialect dialect) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : ddl(dialect).split("\n")) {
            int comment = line.indexOf("--");
            String code = comment >= 0 ? line.substring(0, comment) : line;
            int end;
            while ((end = code.indexOf(';')) >= 0) {
                current.append(code, 0, end);
                if (!current.toString().isBlank()) {
                    statements.add(current.toString().strip());
                }
                current.setLength(0);
                code = code.substring(end + 1);
            }
            current.append(code).append('\n');
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    /**
     * The tables this kind of database's migrations create, in the order they do: the schema's own tables, beside
     * which a database may hold other applications' tables (and Flyway's schema history, which no migration makes).
     */
    public static List<String> tables(Dialect dialect) {
        List<String> tables = new ArrayList<>();
        for (String statement : statements(dialect)) {
            java.util.regex.Matcher m = CREATE_TABLE.matcher(statement);
            if (m.lookingAt() && !tables.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                tables.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return tables;
    }

    private static final java.util.regex.Pattern CREATE_TABLE = java.util.regex.Pattern.compile(
            "CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?[`\"]?([A-Za-z_][A-Za-z0-9_]*)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * Creates or upgrades the schema; does nothing on a current one. A schema change that was interrupted (killed,
     * the connection lost) is finished: on PostgreSQL and SQLite the pending migrations run in one transaction, so
     * an interrupted change left nothing; on MariaDB, whose DDL commits statement by statement, every migration
     * statement may run again (IF NOT EXISTS), and the history's entry of the failed migration, if any, is removed
     * first (Flyway's repair), so the migration runs again from its start.
     */
    public static Outcome migrate(Database db) {
        return migrate(db, List.of());
    }

    /** {@link #migrate(Database)} with Flyway callbacks (the tests' way to stop a migration at a given statement). */
    static Outcome migrate(Database db, List<Callback> callbacks) {
        Integer before = installedVersion(db);
        if (before == null && hasForeignTables(db) && !unfinished(db)) {
            throw IspdbException.database(db.describe() + " already has tables of this schema that ispdb did not create"
                    + " (no flyway_schema_history; perhaps the Python tool's database): ispdb leaves it alone."
                    + " Take it over with 'ispdb init-schema --adopt' (see 'ispdb check' first), or point --url at a"
                    + " new database and load the data with 'ispdb load-csv'", null);
        }
        refuseNewer(db, before);
        Flyway flyway = flyway(db, callbacks);
        try {
            db.useWriteAheadLog();
            repairInterrupted(db, flyway);
            MigrationInfoService info = flyway.info();
            if (info.pending().length == 0) {
                return new Outcome(before, before == null ? 0 : before, List.of());
            }
            MigrateResult result = flyway.migrate();
            List<String> applied = new ArrayList<>();
            result.migrations.forEach(m -> applied.add(m.version + " " + m.description));
            Integer after = installedVersion(db);
            return new Outcome(before, after == null ? 0 : after, applied);
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException | java.sql.SQLException e) {
            throw db.failure("create the schema", e);
        }
    }

    /**
     * After init-schema --adopt made the tables the current schema's: the schema history, as a Flyway baseline at
     * the current version (the migrations up to it count as applied; later ones apply as usual).
     */
    public static void recordAdopted(Database db) {
        try {
            Flyway.configure(Schema.class.getClassLoader())
                    .dataSource(db.dataSource())
                    .locations("classpath:" + db.dialect().migrations())
                    .failOnMissingLocations(true)
                    .cleanDisabled(true)
                    .baselineVersion(Integer.toString(VERSION))
                    .baselineDescription("adopted by ispdb init-schema --adopt")
                    .load()
                    .baseline();
        } catch (RuntimeException e) {
            throw db.failure("record the schema history of the adopted tables (the tables are adopted: run"
                    + " 'ispdb init-schema --adopt' again to record it)", e);
        }
    }

    /**
     * Whether the database holds a schema that an interrupted init-schema (or copy) left half made: ispdb's schema
     * history with no migration recorded as done (empty, or only a failed one), and ispdb's tables, if any, without
     * a row. A rerun of init-schema finishes it.
     */
    public static boolean unfinished(Database db) {
        if (installedVersion(db) != null || !hasTable(db, "flyway_schema_history")) {
            return false;
        }
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            SchemaMapper mapper = session.getMapper(SchemaMapper.class);
            for (Table t : Table.values()) {
                if (mapper.hasTable(t.tableName()) && mapper.countRows(t.tableName()) > 0) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            throw db.failure("look at the schema's tables", e);
        }
    }

    /**
     * Before a migration: undoes the traces an interrupted one left in the schema history on MariaDB (a failed
     * entry, which Flyway would stop at), and accepts ispdb's own earlier texts of its migrations (before their
     * statements became safe to repeat) as the same migrations. Any other difference is left to Flyway's
     * validation, which refuses it.
     */
    private static void repairInterrupted(Database db, Flyway flyway) {
        Map<String, Set<Integer>> earlier = EARLIER_CHECKSUMS.getOrDefault(db.dialect(), Map.of());
        boolean failed = false;
        boolean earlierText = false;
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getState() == MigrationState.FAILED) {
                failed = true;
            } else if (m.isApplied() && m.isVersioned() && m.getResolvedChecksum() != null
                    && !m.isChecksumMatching()) {
                if (!earlier.getOrDefault(m.getVersion().getVersion(), Set.of()).contains(m.getAppliedChecksum())) {
                    return; // not ispdb's own change: Flyway's validation says what differs
                }
                earlierText = true;
            }
        }
        if (failed || earlierText) {
            LOG.info("repairing the schema history (an interrupted migration: {}; ispdb's earlier migration texts: {})",
                    failed, earlierText);
            flyway.repair();
        }
    }

    /** Whether the database has ispdb's schema history, and its version (null: none). */
    public static Integer historyVersion(Database db) {
        return installedVersion(db);
    }

    /** The version and table sizes, for schema-status. */
    public static Status status(Database db) {
        Integer version = installedVersion(db);
        Map<String, Long> counts = new LinkedHashMap<>();
        if (version != null) {
            try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
                SchemaMapper mapper = session.getMapper(SchemaMapper.class);
                for (Table t : Table.values()) {
                    if (mapper.hasTable(t.tableName())) { // all of them, but at version 0 (other applications' tables)
                        counts.put(t.tableName(), mapper.countRows(t.tableName()));
                    }
                }
            } catch (RuntimeException e) {
                throw db.failure("count the rows", e);
            }
        }
        return new Status(version, counts);
    }

    static void requireCurrent(Database db) {
        Integer version = installedVersion(db);
        if (version == null) {
            throw IspdbException.database(db.describe() + (unfinished(db)
                    ? " has an unfinished ispdb schema (init-schema or copy was interrupted while making it): finish"
                            + " it with 'ispdb init-schema'"
                    : hasForeignTables(db)
                    ? " has tables of this schema that ispdb did not create (no flyway_schema_history; perhaps the"
                            + " Python tool's database): take it over with 'ispdb init-schema --adopt', or point --url"
                            + " at a database made with 'ispdb init-schema'"
                    : " has " + NONE), null);
        }
        refuseNewer(db, version);
        if (version < VERSION) {
            throw IspdbException.database(db.describe() + " has schema version " + version + " and this ispdb needs "
                    + VERSION + ": upgrade it with 'ispdb init-schema'", null);
        }
    }

    private static void refuseNewer(Database db, Integer version) {
        if (version != null && version > VERSION) {
            throw IspdbException.database(db.describe() + " has schema version " + version
                    + ", newer than this ispdb knows (" + VERSION + "): use a newer ispdb", null);
        }
    }

    /** The highest successfully applied version, or null if the database has no schema history. */
    static Integer installedVersion(Database db) {
        List<String> versions = null;
        long start = System.nanoTime();
        for (long wait = 500; versions == null; wait = Math.min(wait * 2, 8_000)) {
            try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
                versions = session.getMapper(SchemaMapper.class).installedVersions();
            } catch (RuntimeException e) {
                if (DatabaseErrors.lockTimeout(e)) {
                    // a lock wait timed out: on a Galera node, the causal read (wsrep_sync_wait) of a node still
                    // applying the cluster's writes (a large load through another node); or a schema change's lock
                    waitOrGiveUp(db, e, start, wait);
                    continue;
                }
                if (DatabaseErrors.isSqliteError(e, SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_LOCKED)
                        || Retry.worthRetrying(e) || hasTable(db, "flyway_schema_history")) {
                    // locked, the connection was lost (a failover), or the table is there: a failed read, not missing
                    throw db.failure("read the schema version", e);
                }
                return null; // no history table
            }
        }
        Integer max = null;
        for (String v : versions) {
            int major = Integer.parseInt(v.split("\\.")[0]);
            max = max == null ? major : Math.max(max, major);
        }
        return max;
    }

    /** Sleeps {@code wait} ms before the next read, or says that the reads timed out for the retry budget (30 s). */
    private static void waitOrGiveUp(Database db, RuntimeException e, long start, long wait) {
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (elapsed + wait > Retry.BUDGET_MILLIS) {
            throw IspdbException.database(db.describe() + " did not let ispdb read its schema version for "
                    + Math.round(elapsed / 1000.0) + " s (a lock wait timed out each time: a Galera node still applying"
                    + " the cluster's recent writes, such as a large load through another node, or a schema change"
                    + " holding the table): try again when it has caught up, or through another node", e);
        }
        LOG.warn("reading the schema version timed out on a lock wait, trying again in {} ms", wait);
        try {
            Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw db.failure("read the schema version", e);
        }
    }

    /** Whether the database has a table of this name, from its catalog. */
    private static boolean hasTable(Database db, String table) {
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            return session.getMapper(SchemaMapper.class).hasTable(table);
        } catch (RuntimeException e) {
            throw db.failure("look for the table " + table, e);
        }
    }

    /** Whether any of ispdb's four tables is there (asked when there is no schema history). */
    private static boolean hasForeignTables(Database db) {
        for (Table t : Table.values()) {
            if (hasTable(db, t.tableName())) {
                return true;
            }
        }
        return false;
    }

    private static Flyway flyway(Database db, List<Callback> callbacks) {
        // on the servers, a lock the DDL cannot get soon fails the migration instead of queueing readers behind it
        return Flyway.configure(Schema.class.getClassLoader())
                .dataSource(db.migrationDataSource())
                .locations("classpath:" + db.dialect().migrations())
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                // a database (or PostgreSQL schema) shared with other applications' tables is normal: ispdb's
                // tables go in beside them. Flyway would refuse such a non-empty database without its history;
                // a baseline at version 0 records "nothing of ours yet", and V1 on are applied as usual
                // (migrate() has already refused a database with ispdb's own tables and no history)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("tables of other applications were already there")
                // all pending migrations in one transaction where DDL is transactional (PostgreSQL, SQLite): an
                // interrupted init-schema or copy leaves the schema as it was (MariaDB commits each statement)
                .group(true)
                .callbacks(callbacks.toArray(Callback[]::new))
                .load();
    }
}
