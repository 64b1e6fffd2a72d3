package ispdb.model;

/**
 * One customer as the report counts it: survival_time, event_observed and gender, and the latest prediction's customer
 * type, CLV and campaign outcomes (all null without a prediction).
 */
public record ReportCustomer(String gender, Long survivalTime, Boolean eventObserved, boolean predicted,
        String customerType, double clv, Boolean campaign1Success, Boolean campaign2Success) {
}
