package ispdb.load;

import ispdb.model.Table;
import java.util.List;

/** What a load did: each source's counts, and how long it took. */
public record LoadResult(List<Count> counts, double seconds) {
    /** What became of one source's rows: read = loaded + skipped + rejected. */
    public record Count(Table table, String name, long read, long loaded, long skipped, long rejected) {
    }

    public long read() {
        return counts.stream().mapToLong(Count::read).sum();
    }

    public long loaded() {
        return counts.stream().mapToLong(Count::loaded).sum();
    }

    public long skipped() {
        return counts.stream().mapToLong(Count::skipped).sum();
    }

    public long rejected() {
        return counts.stream().mapToLong(Count::rejected).sum();
    }
}
