package ispdb.model;

/** The customers with a prediction, and the smallest and largest latest CLV (null without any). */
public record ClvRange(long customers, Double minClv, Double maxClv) {
}
