package ispdb.load;

import ispdb.IspdbException;
import ispdb.Release;
import ispdb.db.LoadJournalMapper;
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
 * file again is refused unless the user says {@code --again}.
 */
final class LoadJournal {
    private final LoadJournalMapper mapper;
    private final String command;
    private final LocalDateTime started;

    LoadJournal(SqlSession session, String command, LocalDateTime started) {
        this.mapper = session.getMapper(LoadJournalMapper.class);
        this.command = command;
        this.started = started;
    }

    /** Refuses (exit code 1) a predictions file whose bytes were loaded into clv_prediction before. */
    void refuseRepeat(RowSource source, String sha256) {
        if (source.table() != Table.PREDICTION) {
            return;
        }
        LoadJournalEntry earlier = mapper.latestOf(source.table().tableName(), sha256);
        if (earlier != null) {
            throw IspdbException.rejected(source.name() + ": the same file (sha256 " + sha256.substring(0, 12)
                    + "...) was loaded into " + earlier.tableName() + " before, at "
                    + Timestamps.format(earlier.finishedAt()).substring(0, 19) + " UTC (load " + earlier.loadId()
                    + " by " + earlier.command() + ", " + earlier.rowsLoaded() + " rows from " + earlier.fileName()
                    + "); loading it again would add every prediction a second time, so nothing was loaded "
                    + "(to load it again all the same, add --again; 'ispdb history' lists the loads)");
        }
    }

    /** What the load of {@code source} by {@code command} that started at {@code started} committed, if it did. */
    static java.util.Optional<Loader.Count> committed(ispdb.db.Database db, Loader.Source source, String command,
            LocalDateTime started) {
        db.useMappers(LoadJournalMapper.class);
        try (SqlSession session = db.session(org.apache.ibatis.session.ExecutorType.SIMPLE)) {
            LoadJournalEntry e = session.getMapper(LoadJournalMapper.class)
                    .startedAt(source.table().tableName(), command, source.name(), started);
            return java.util.Optional.ofNullable(e).map(entry -> new Loader.Count(source.table(), source.name(),
                    entry.rowsRead(), entry.rowsLoaded(), entry.rowsSkipped(), entry.rowsRejected()));
        } catch (RuntimeException e) {
            throw db.failure("find out whether the load of " + source.name() + " committed", e);
        }
    }

    /** Records what a file's load did; called before the commit. */
    void record(Loader.Count count, String name, long bytes, String sha256) {
        mapper.insert(new LoadJournalEntry(null, command, count.table().tableName(), name, bytes, sha256,
                count.read(), count.loaded(), count.skipped(), count.rejected(), started,
                LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS), Release.version(),
                System.getProperty("user.name")));
    }
}
