package ispdb.model;

import java.time.LocalDateTime;

/**
 * One row of load_journal: a file that a load-csv or record-prediction --file run committed into a table.
 *
 * @param loadId assigned by the database (null before it is written)
 * @param fileSize the bytes of CSV text read from the file (decompressed bytes for a gzip file)
 * @param sha256 the SHA-256 of that text, in lower-case hex, as {@code zcat -f FILE | sha256sum} prints it; empty
 *     for a run that read no file (prune-predictions; PostgreSQL's char(64) pads it with blanks, taken off here)
 * @param startedAt when the run started, UTC
 * @param finishedAt when its transaction was about to commit, UTC
 */
public record LoadJournalEntry(Long loadId, String command, String tableName, String fileName, long fileSize,
        String sha256, long rowsRead, long rowsLoaded, long rowsSkipped, long rowsRejected, LocalDateTime startedAt,
        LocalDateTime finishedAt, String ispdbVersion, String osUser) {
    public LoadJournalEntry {
        sha256 = sha256 == null ? null : sha256.strip();
    }
}
