package ispdb.load;

/** Told how a load goes, every few thousand rows (for a progress bar). */
public interface LoadProgress {
    LoadProgress NONE = (file, rows, bytesRead, bytes) -> { };

    /** {@code bytes} is the file's size, or -1 if unknown (standard input). */
    void update(String file, long rows, long bytesRead, long bytes);

    default void done() {
    }
}
