package ispdb.db;

import ispdb.model.PaymentMethod;

/** dim_payment_method. */
public interface PaymentMethodMapper extends TableMapper<PaymentMethod> {
}
