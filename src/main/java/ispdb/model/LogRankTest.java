package ispdb.model;

/** The log-rank test across groups, as R's survdiff gives it; {@code pValue} is NaN with fewer than two groups. */
public record LogRankTest(double chiSquare, int df, double pValue) {
}
