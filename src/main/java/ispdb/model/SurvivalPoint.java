package ispdb.model;

/**
 * A row of the Kaplan-Meier estimate: at {@code time}, the customers at risk, the events (churned) and censored
 * (not churned) ones, the estimated survival, the standard error of the cumulative hazard (Greenwood) and the
 * 95% confidence interval of the survival. {@code stdErr}, {@code lower95} and {@code upper95} are NaN where they
 * are undefined (R's Inf and NA).
 */
public record SurvivalPoint(String group, long time, long atRisk, long events, long censored, double survival,
        double stdErr, double lower95, double upper95) {
}
