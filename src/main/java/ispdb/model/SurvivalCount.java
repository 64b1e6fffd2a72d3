package ispdb.model;

/** Customers of one group whose survival_time is {@code time}: how many churned (events) and how many did not. */
public record SurvivalCount(String group, long time, long events, long censored) {
}
