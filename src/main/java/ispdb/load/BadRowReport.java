package ispdb.load;

import ispdb.IspdbException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad rows of an all-or-nothing load ({@link OnError#FAIL}): each one's {@code FILE:LINE: column: problem}, the
 * first {@link #SHOWN} kept and the rest counted, and the one error that lists them and rejects the load (exit code
 * 1). With {@link OnError#SKIP} bad rows go to the {@link RejectFile} instead.
 */
final class BadRowReport {
    /** Bad rows listed in the error report; the rest are counted. */
    static final int SHOWN = 20;
    private final List<String> shown = new ArrayList<>();
    private long count;

    /** Notes a bad row: {@code source:line: column: problem}. */
    void add(String source, long line, String column, String problem) {
        count++;
        if (shown.size() < SHOWN) {
            shown.add(source + ":" + line + ": " + column + ": " + problem);
        }
    }

    /** Whether there is no bad row (so far): only then are the rows worth writing. */
    boolean none() {
        return count == 0;
    }

    /** The error that lists the bad rows and rejects the load. */
    IspdbException rejected() {
        StringBuilder s = new StringBuilder(String.join("\n", shown));
        if (count > shown.size()) {
            s.append("\n... and ").append(count - shown.size()).append(" more bad row")
                    .append(count - shown.size() == 1 ? "" : "s");
        }
        s.append("\nrejected: ").append(count).append(" bad row").append(count == 1 ? "" : "s")
                .append(", nothing was loaded (fix them, or load the good rows with --on-error skip --reject-file FILE)");
        return IspdbException.rejected(s.toString());
    }
}
