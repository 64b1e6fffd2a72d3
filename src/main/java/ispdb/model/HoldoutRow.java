package ispdb.model;

/**
 * A row of predict --holdout-from's output, one shape for its three sections ({@code section}):
 * <ul>
 * <li>{@code frequency}: calibration frequency {@code key} ("0" to "6", "7+"), its {@code customers}, their mean
 * actual and expected repeat purchases in the holdout;</li>
 * <li>{@code total}: {@code key} "purchases" or "spend": the calibration {@code customers}, the actual and expected
 * sums over them in the holdout, and the per-customer {@code mae} and {@code rmse};</li>
 * <li>{@code tracking}: week {@code key} ("1", "2", ...) ending on {@code date} ('YYYY-MM-DD', its last day): the
 * customers with a first purchase by then, the actual and expected cumulative repeat purchases, and whether the
 * week's end is in the {@code holdout}.</li>
 * </ul>
 * Fields a section does not use are null.
 */
public record HoldoutRow(String section, String key, String date, Long customers, Double actual, Double expected,
        Double mae, Double rmse, Boolean holdout) {
    public static final String FREQUENCY = "frequency";
    public static final String TOTAL = "total";
    public static final String TRACKING = "tracking";
}
