package ispdb.model;

/** Customers of one type (latest prediction) whose latest CLV falls into histogram bin {@code bin}. */
public record ClvBin(String customerType, int bin, long customers) {
}
