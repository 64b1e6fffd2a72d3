package ispdb.load;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How to load, made with {@link #of(String)} and the builder's setters; what is not set is the default: bad rows
 * fail the load, keys already stored are bad rows, CSV with commas in UTF-8, no progress display, a predictions
 * file loaded before is refused, the target is in use.
 */
public final class LoadOptions {
    private final OnError onError;
    private final Path rejectFile;
    private final Mode mode;
    private final char delimiter;
    private final Charset encoding;
    private final LoadProgress progress;
    private final String command;
    private final boolean again;
    private final boolean newDatabase;
    private final String written;
    private final Runnable committed;

    private LoadOptions(Builder b) {
        this.onError = b.onError;
        this.rejectFile = b.rejectFile;
        this.mode = b.mode;
        this.delimiter = b.delimiter;
        this.encoding = b.encoding;
        this.progress = b.progress;
        this.command = b.command;
        this.again = b.again;
        this.newDatabase = b.newDatabase;
        this.written = b.written;
        this.committed = b.committed;
    }

    /** The defaults, for a load by {@code command} (what the journal records: "load-csv"). */
    public static Builder of(String command) {
        return new Builder(command);
    }

    /** What a bad row does. */
    public OnError onError() {
        return onError;
    }

    /** Where the bad rows go, with {@link OnError#SKIP}. */
    public Path rejectFile() {
        return rejectFile;
    }

    /** What a row whose key is stored already does. */
    public Mode mode() {
        return mode;
    }

    /** A CSV file's field delimiter. */
    public char delimiter() {
        return delimiter;
    }

    /** A CSV file's character encoding. */
    public Charset encoding() {
        return encoding;
    }

    /** Told how the load goes. */
    public LoadProgress progress() {
        return progress;
    }

    /** What the journal records as the command ("load-csv", "copy", "predict"). */
    public String command() {
        return command;
    }

    /** Whether a predictions file that was loaded before loads again. */
    public boolean again() {
        return again;
    }

    /**
     * Whether the command created the target's schema itself just before (copy into an empty database): nobody else
     * uses it yet, so a bulk load on PostgreSQL may drop the table's secondary indexes and build them at the end.
     */
    public boolean newDatabase() {
        return newDatabase;
    }

    /**
     * What a signal after this load's commit says has been written, when the load is one part of the command's
     * work (ingest: one file of many), or null when the load is all of it (a signal after the commit is then held
     * until the command ends).
     */
    public String written() {
        return written;
    }

    /** Run right after the commit, while a signal is held (ingest moves the file to done/); must not throw. */
    public Runnable committed() {
        return committed;
    }

    /** Sets what differs from the defaults. */
    public static final class Builder {
        private final String command;
        private OnError onError = OnError.FAIL;
        private Path rejectFile;
        private Mode mode = Mode.INSERT;
        private char delimiter = ',';
        private Charset encoding = StandardCharsets.UTF_8;
        private LoadProgress progress = LoadProgress.NONE;
        private boolean again;
        private boolean newDatabase;
        private String written;
        private Runnable committed = () -> { };

        private Builder(String command) {
            this.command = command;
        }

        /** What a bad row does, and where it goes with {@link OnError#SKIP} (null with FAIL). */
        public Builder onError(OnError onError, Path rejectFile) {
            this.onError = onError;
            this.rejectFile = rejectFile;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** How a CSV file is written: its field delimiter and character encoding. */
        public Builder csv(char delimiter, Charset encoding) {
            this.delimiter = delimiter;
            this.encoding = encoding;
            return this;
        }

        public Builder progress(LoadProgress progress) {
            this.progress = progress;
            return this;
        }

        public Builder again(boolean again) {
            this.again = again;
            return this;
        }

        public Builder newDatabase(boolean newDatabase) {
            this.newDatabase = newDatabase;
            return this;
        }

        /** The load is a part of the command's work: see {@link LoadOptions#written()} and {@link #committed()}. */
        public Builder part(String written, Runnable committed) {
            this.written = written;
            this.committed = committed;
            return this;
        }

        public LoadOptions build() {
            return new LoadOptions(this);
        }
    }
}
