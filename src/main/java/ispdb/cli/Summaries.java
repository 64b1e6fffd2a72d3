package ispdb.cli;

import ispdb.load.LoadResult;
import java.nio.file.Path;
import java.util.Locale;

/** The one-line summaries of loads. */
final class Summaries {
    private Summaries() {
    }

    /** "loaded 3425 rows into ... in 0.61 s (5615 rows/s)", with what was skipped or rejected. */
    static String load(LoadResult r, Path rejectFile) {
        StringBuilder s = new StringBuilder("loaded ").append(r.loaded());
        if (r.loaded() != r.read()) {
            s.append(" of ").append(r.read());
        }
        s.append(r.read() == 1 ? " row" : " rows").append(" into ");
        if (r.counts().size() == 1) {
            s.append(r.counts().get(0).table().tableName());
        } else {
            for (int i = 0; i < r.counts().size(); i++) {
                LoadResult.Count c = r.counts().get(i);
                s.append(i == 0 ? "" : ", ").append(c.table().tableName()).append(" (").append(c.loaded()).append(')');
            }
        }
        if (r.skipped() > 0) {
            s.append("; skipped ").append(r.skipped()).append(" already present");
        }
        if (r.rejected() > 0) {
            s.append("; rejected ").append(r.rejected()).append(" (see ").append(rejectFile).append(')');
        }
        return s.append(timing(r)).toString();
    }

    /** " in 0.61 s (5,615 rows/s)"; no rate when nothing was loaded. */
    static String timing(LoadResult r) {
        String time = String.format(Locale.ROOT, " in %.2f s", r.seconds());
        return r.loaded() == 0 ? time : time + " (" + rate(r.loaded(), r.seconds()) + ")";
    }

    /** "5,615 rows/s", "1 row/s". */
    static String rate(long rows, double seconds) {
        long perSecond = Math.round(rows / Math.max(seconds, 1e-6));
        return String.format(Locale.ROOT, "%,d %s/s", perSecond, perSecond == 1 ? "row" : "rows");
    }
}
