package ispdb.model;

/** The revenue of one month ("YYYY-MM") paid with one payment method. */
public record MonthlyRevenue(String month, String paymentMethodName, double revenue) {
}
