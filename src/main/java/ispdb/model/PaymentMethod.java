package ispdb.model;

/** A row of dim_payment_method. */
public record PaymentMethod(long paymentMethodId, String paymentMethodName) {
}
