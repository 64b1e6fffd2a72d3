package ispdb.load;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.JsonIds;
import ispdb.db.SchemaMapper;
import ispdb.db.TableMapper;
import ispdb.db.TableRows;
import ispdb.model.Column;
import ispdb.model.RowRules;
import ispdb.model.Table;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * The checks every row passes before it is written: each value's type and domain, the rules between a row's
 * values, the references to parent tables, and the primary key against the table and the earlier lines. Keys
 * are kept in compact in-memory sets, read from the database once per table, so that each problem can name its
 * line. A small source into a big table (a day appended to years of transactions) looks its own keys up in the
 * table instead, a batch of rows at a time ({@link TableChecker#probes}): it reads what it needs, not every key
 * of the table.
 */
final class RowChecker {
    /**
     * A source that is not large ({@link RowSource#large()}: under 16 MB, a few hundred thousand rows at most) into
     * a table holding at least this many rows probes its keys: a probe costs an index lookup per incoming row, the
     * full read a key per row of the table.
     */
    static final long PROBE_EXISTING_ROWS = 1_000_000;
    /** Test-only: another bound for the probe (0: every source that is not large probes). */
    private static final String PROBE_PROPERTY = "ispdb.test.probeExistingRows";
    /** Keys per probe statement (one JSON array parameter). */
    private static final int PROBE_CHUNK = 5000;

    /** What becomes of a row. */
    enum Verdict { LOAD, SKIP, BAD }

    /** A checked row: its values (in the table's column order), its verdict, and for a bad row the problem. */
    static final class Checked {
        Object[] values;
        Verdict verdict;
        String column;
        String problem;

        private Checked bad(String column, String problem) {
            this.verdict = Verdict.BAD;
            this.column = column;
            this.problem = problem;
            return this;
        }
    }

    private final SqlSession session;
    /** The load's writes: pending ones go out before a probe, which must not meet an open COPY. */
    private final RowSink sink;
    private final Mode mode;
    /** Whether a bad row's key counts as taken (all or nothing: nothing loads anyway, so say less). */
    private final boolean badKeysTaken;
    private final LocalDateTime now;
    private final Map<Table, KeySet> existing = new EnumMap<>(Table.class);
    private final Map<Table, KeySet> added = new EnumMap<>(Table.class);

    RowChecker(SqlSession session, RowSink sink, Mode mode, OnError onError, LocalDateTime now) {
        this.session = session;
        this.sink = sink;
        this.mode = mode;
        this.badKeysTaken = onError == OnError.FAIL;
        this.now = now;
    }

    /**
     * One source's rows for one table. Every key set its checks need is read when it is made, so that {@link #check}
     * never uses the session (it runs on the thread that reads the rows, while another writes); when the rows' keys
     * are probed, the writer's thread looks them up ({@link #probe}) before the reading thread checks their rows.
     */
    final class TableChecker {
        private final Table table;
        /** Where the primary key stands in a row's values. */
        private final int key;
        /**
         * The table's keys before the load (when probed: those of the rows probed so far that it held); null when the
         * rows give no keys (the database assigns them).
         */
        private final KeySet existingKeys;
        private final KeySet addedKeys;
        private final boolean probed;

        private TableChecker(RowSource source) {
            this.table = source.table();
            this.key = table.columns().indexOf(table.primaryKey());
            boolean keysGiven = !table.primaryKey().optionalInHeader() || source.givesKeys();
            this.probed = keysGiven && !existing.containsKey(table) && probesKeys(table, source.large());
            this.existingKeys = !keysGiven ? null : probed ? new KeySet() : keys(existing, table, true);
            this.addedKeys = keys(added, table, false);
            // the parents' keys too, now: the rows are checked on another thread than the one that uses the session
            for (Column column : table.columns()) {
                Table parent = column.references();
                if (parent != null) {
                    keys(added, parent, false);
                    keys(existing, parent, true);
                }
            }
        }

        /** The table's rows before the load, if they were read (for the bulk-load decision). */
        long existingKeyCount() {
            return existingKeys == null || probed ? -1 : existingKeys.size();
        }

        /** Whether the rows' keys are looked up in the table ({@link #probe}) before their rows are checked. */
        boolean probes() {
            return probed;
        }

        /** A row's key as read, if it has one ({@link #probe} looks it up). */
        Long keyOf(RowSource.Row row) {
            return row.values != null && row.values[key] instanceof Long id ? id : null;
        }

        /**
         * On the writer's thread, while the reading thread waits: which of these keys the table holds, added to the
         * keys it held before the load (a key this load wrote is on an earlier line, which {@link #check} finds
         * first).
         */
        void probe(long[] ids) throws SQLException {
            sink.flush();
            TableMapper<Object> mapper = TableRows.mapper(session, table);
            for (int from = 0; from < ids.length; from += PROBE_CHUNK) {
                for (long id : mapper.selectIdsAmong(JsonIds.of(ids, from, Math.min(from + PROBE_CHUNK, ids.length)))) {
                    existingKeys.add(id);
                }
            }
        }

        /**
         * Whether the key was in the table before the load (false when its keys were not read; a probed row's key was
         * looked up before its row was checked).
         */
        boolean existedBefore(long id) {
            return existingKeys != null && existingKeys.contains(id);
        }

        /** The verdict on a row as its source read it (a row the source could not read is bad as it stands). */
        Checked check(RowSource.Row row) {
            Checked c = new Checked();
            Object[] values = row.values;
            c.values = values;
            List<Column> columns = table.columns();
            if (row.problem != null) {
                c.bad(row.column, row.problem);
                return "row".equals(row.column) ? c : remember(c);
            }
            RowRules.Problem rule = RowRules.check(table, values, now);
            if (rule != null) {
                return remember(c.bad(rule.column(), rule.message()));
            }
            for (int i = 0; i < columns.size(); i++) {
                Table parent = columns.get(i).references();
                if (parent != null && !has(parent, (Long) values[i])) {
                    return remember(c.bad(columns.get(i).name(), "unknown " + parent.noun() + " " + values[i]));
                }
            }
            Long id = (Long) values[key]; // null: no key given (the database assigns it)
            if (id != null) {
                String pk = table.primaryKey().name();
                if (addedKeys.contains(id)) {
                    return c.bad(pk, id + " is on an earlier line too");
                }
                if (existingKeys != null && existingKeys.contains(id)) {
                    if (mode == Mode.SKIP_EXISTING) {
                        c.verdict = Verdict.SKIP;
                        return c;
                    }
                    if (mode == Mode.INSERT) {
                        return c.bad(pk, id + " is already in " + table.tableName()
                                + " (to replace such rows use --mode upsert, to keep them --mode skip-existing)");
                    }
                }
                addedKeys.add(id);
            }
            RowRules.fillDefaults(table, values, now);
            c.verdict = Verdict.LOAD;
            return c;
        }

        /**
         * In an all-or-nothing load a bad row's key still counts as taken, so that the rows of other files that
         * refer to it are not reported as well. (When bad rows are skipped, rows that refer to a skipped one are
         * bad too: their parent is not there.)
         */
        private Checked remember(Checked c) {
            if (badKeysTaken && c.values[key] instanceof Long id && !addedKeys.contains(id)) {
                addedKeys.add(id);
            }
            return c;
        }
    }

    /** The checks of a source's rows. */
    TableChecker forTable(RowSource source) {
        return new TableChecker(source);
    }

    /** Whether a source's rows probe the table's keys rather than read them all: see {@link #PROBE_EXISTING_ROWS}. */
    private boolean probesKeys(Table table, boolean largeSource) {
        long bound = Long.getLong(PROBE_PROPERTY, PROBE_EXISTING_ROWS);
        return !largeSource && session.getMapper(SchemaMapper.class).countRowsUpTo(table.tableName(), bound) >= bound;
    }

    /**
     * Another program wrote some of this load's keys while it ran, and the database refused them as duplicates:
     * as for keys found there at the start, those rows are bad (exit code 1), and the message names the first.
     * The keys are looked up in a session of {@code db}'s own (this load's has rolled back). Null when none of this
     * load's keys is there: the duplicate was not one of the file's (the database's own words then say which).
     */
    IspdbException writtenMeanwhile(Database db, List<RowSource> sources, Throwable e) {
        for (RowSource source : sources) {
            Table table = source.table();
            KeySet ours = added.get(table);
            long[] first = {0};
            long[] found = {0};
            try (SqlSession look = db.session(ExecutorType.SIMPLE)) {
                TableRows.selectIds(look, table, key -> {
                    if (ours != null && ours.contains(key) && found[0]++ == 0) {
                        first[0] = key;
                    }
                });
            } catch (RuntimeException lookFailed) {
                e.addSuppressed(lookFailed);
            }
            if (found[0] > 0) {
                return new IspdbException(ExitCodes.REJECTED, source.name() + ": " + table.primaryKey().name() + " "
                        + first[0] + (found[0] > 1 ? " (and " + (found[0] - 1) + " more of this file's keys)" : "")
                        + " was written to " + table.tableName() + " by another program while this load ran; "
                        + "nothing was loaded (load again: --mode skip-existing keeps those rows, --mode upsert "
                        + "replaces them)", e);
            }
        }
        return null;
    }

    private boolean has(Table table, Long key) {
        return keys(added, table, false).contains(key) || keys(existing, table, true).contains(key);
    }

    /** A table's keys: those in the database before the load (read once), or those this load added. */
    private KeySet keys(Map<Table, KeySet> sets, Table table, boolean fromDatabase) {
        KeySet set = sets.get(table);
        if (set == null) {
            KeySet fresh = new KeySet();
            if (fromDatabase) {
                TableRows.selectIds(session, table, fresh::add);
            }
            sets.put(table, fresh);
            set = fresh;
        }
        return set;
    }
}
