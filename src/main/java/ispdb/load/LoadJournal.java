package ispdb.load;

import ispdb.IspdbException;
import ispdb.Release;
import ispdb.db.Database;
import ispdb.db.LoadJournalMapper;
import ispdb.db.Retry;
import ispdb.model.LoadJournalEntry;
import ispdb.model.Table;
import ispdb.model.Timestamps;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.ibatis.session.SqlSession;

/**
 * The load journal (table load_journal): one entry per file a load commits, written in the load's own
 * transaction, so the journal and the data never disagree. It also answers whether a predictions file was
 * loaded before: predictions without a prediction_id have no key that would stop a second copy, so the same
 * content (the SHA-256 of the CSV text as read, decompressed if it was gzip) again is refused unless the user says
 * {@code --again}. Loads of the same content that run at once are serialised by the database itself: each load
 * that may not repeat claims the content in load_claim, whose primary key lets one claim commit and refuses the
 * others (a duplicate key on SQLite, PostgreSQL and InnoDB, where the second claim waits for the first to commit;
 * a certification conflict at commit on a Galera cluster, after which the job finds the winner's journal entry). On
 * a Spider head loads run one at a time ({@link Database#loadSession}): a load that waited finds the one before it in
 * the journal.
 */
final class LoadJournal {
    private final LoadJournalMapper mapper;
    private final String command;
    private final LocalDateTime started;
    /** The contents this load claimed (in its transaction, so far). */
    private final java.util.List<Claim> claims = new java.util.ArrayList<>();

    private record Claim(RowSource source, String sha256) {
    }

    LoadJournal(SqlSession session, String command, LocalDateTime started) {
        this.mapper = session.getMapper(LoadJournalMapper.class);
        this.command = command;
        this.started = started;
    }

    /**
     * Refuses (exit code 1) a predictions file whose content was loaded into clv_prediction before, under its
     * digest {@code sha256} or, for a gzip file, its {@code formerSha256} (see {@link RowSource#formerSha256()}).
     */
    void refuseRepeat(RowSource source, String sha256, String formerSha256) {
        if (source.table() != Table.PREDICTION) {
            return;
        }
        LoadJournalEntry earlier = mapper.latestOf(source.table().tableName(), sha256, formerSha256);
        if (earlier != null) {
            throw loadedBefore(source, sha256, earlier);
        }
    }

    /**
     * The one sentence for a file whose content another load committed: {@code earlier} is that load's entry, if
     * known; a load that finished after this run started is a concurrent job (it may have been this run's own
     * first attempt's rival on another Galera node).
     */
    private IspdbException loadedBefore(RowSource source, String sha256, LoadJournalEntry earlier) {
        String table = source.table().tableName();
        String file = source.name() + ": the same file (sha256 " + sha256.substring(0, 12) + "...) was loaded into "
                + table;
        String advice = "(to load it again all the same, add --again; 'ispdb history' lists the loads)";
        if (earlier == null || !earlier.finishedAt().isBefore(started)) {
            return IspdbException.rejected(file + " by a concurrent job while this one ran"
                    + (earlier == null ? "" : " (load " + earlier.loadId() + " by " + earlier.command() + ", "
                            + earlier.rowsLoaded() + " rows from " + earlier.fileName() + ")")
                    + ", so nothing was loaded " + advice);
        }
        return IspdbException.rejected(file + " before, at "
                + Timestamps.format(earlier.finishedAt()).substring(0, 19) + " UTC (load " + earlier.loadId()
                + " by " + earlier.command() + ", " + earlier.rowsLoaded() + " rows from " + earlier.fileName()
                + "); loading it again would add every prediction a second time, so nothing was loaded " + advice);
    }

    /** What the load of {@code source} by {@code command} that started at {@code started} committed, if it did. */
    static java.util.Optional<LoadResult.Count> committed(ispdb.db.Database db, CsvSource source, String command,
            LocalDateTime started) {
        db.useMappers(LoadJournalMapper.class);
        try (SqlSession session = db.session(org.apache.ibatis.session.ExecutorType.SIMPLE)) {
            LoadJournalEntry e = session.getMapper(LoadJournalMapper.class)
                    .startedAt(source.table().tableName(), command, source.name(), started);
            return java.util.Optional.ofNullable(e).map(entry -> new LoadResult.Count(source.table(), source.name(),
                    entry.rowsRead(), entry.rowsLoaded(), entry.rowsSkipped(), entry.rowsRejected()));
        } catch (RuntimeException e) {
            throw db.failure("find out whether the load of " + source.name() + " committed", e);
        }
    }

    /**
     * Records what a file's load did; called before the commit. {@code claim}: the content may not load twice
     * (a predictions file without --again), so the load claims it first; if another load's claim committed
     * meanwhile, the database refuses this one and nothing is loaded (exit code 1).
     */
    void record(RowSource source, LoadResult.Count count, String sha256, boolean claim) {
        if (claim) {
            claims.add(new Claim(source, sha256));
            try {
                mapper.claim(count.table().tableName(), sha256);
            } catch (RuntimeException e) {
                if (!Database.isDuplicateKey(e)) {
                    throw e;
                }
                IspdbException refused = loadedBefore(source, sha256, null);
                refused.addSuppressed(e);
                throw refused;
            }
        }
        mapper.insert(new LoadJournalEntry(null, command, count.table().tableName(), source.journalName(),
                source.journalSize(), sha256, count.read(), count.loaded(), count.skipped(), count.rejected(),
                started, LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS), Release.version(),
                System.getProperty("user.name")));
    }

    /**
     * Records a run that changed a table without reading a file (prune-predictions): {@code description} goes where a
     * load has its file's name (what the run did, in words, with its options), {@code rows} into rows_read (the rows
     * it deleted), with no file size or digest; in the session's transaction, which the caller commits.
     */
    static void recordRun(SqlSession session, String command, Table table, String description, long rows,
            LocalDateTime started) {
        session.getMapper(LoadJournalMapper.class).insert(new LoadJournalEntry(null, command, table.tableName(),
                description, 0, "", rows, 0, 0, 0, started,
                LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS), Release.version(),
                System.getProperty("user.name")));
    }

    /**
     * After this load failed for a conflict (it did not commit): if a concurrent load of a content it claimed has
     * committed (Galera: its claim was certified first, and this one's failed at commit with error 1213), the one
     * sentence that says so (exit code 1), else null. Read in a session of its own, which on a Galera node waits
     * for the cluster's earlier commits.
     */
    IspdbException loadedMeanwhile(Database db, Throwable failure) {
        if (claims.isEmpty() || !Retry.isConflict(failure)) {
            return null;
        }
        try (SqlSession look = db.session(org.apache.ibatis.session.ExecutorType.SIMPLE)) {
            LoadJournalMapper journal = look.getMapper(LoadJournalMapper.class);
            for (Claim c : claims) {
                LoadJournalEntry other = journal.latestOf(c.source().table().tableName(), c.sha256(), null);
                if (other != null && !other.finishedAt().isBefore(started)) {
                    IspdbException refused = loadedBefore(c.source(), c.sha256(), other);
                    refused.addSuppressed(failure);
                    return refused;
                }
            }
        } catch (RuntimeException lookFailed) {
            failure.addSuppressed(lookFailed);
        }
        return null;
    }
}
