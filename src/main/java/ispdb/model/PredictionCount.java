package ispdb.model;

import java.time.LocalDateTime;

/**
 * Some predictions (those prune-predictions deletes or would delete): how many, and when the oldest and the newest of
 * them were made (null when there are none).
 */
public record PredictionCount(long predictions, LocalDateTime oldest, LocalDateTime newest) {
    public static final PredictionCount NONE = new PredictionCount(0, null, null);

    /** These and {@code other} together. */
    public PredictionCount plus(PredictionCount other) {
        if (other.predictions == 0) {
            return this;
        }
        if (predictions == 0) {
            return other;
        }
        return new PredictionCount(predictions + other.predictions, earlier(oldest, other.oldest),
                earlier(other.newest, newest) == newest ? other.newest : newest);
    }

    /** The earlier of two times, either of which may be null (unknown). */
    private static LocalDateTime earlier(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
}
