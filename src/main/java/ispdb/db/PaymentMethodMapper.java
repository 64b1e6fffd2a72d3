package ispdb.db;

import ispdb.model.PaymentMethod;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ResultHandler;

/** dim_payment_method. */
public interface PaymentMethodMapper {
    void insert(PaymentMethod row);

    void upsert(PaymentMethod row);

    void selectIds(ResultHandler<Long> handler);

    /** Every row, in key order, streamed (export, copy). */
    Cursor<PaymentMethod> inKeyOrder();
}
