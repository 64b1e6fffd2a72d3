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

    /**
     * PostgreSQL only: the {@code COPY ... FROM STDIN} that RowSink streams the rows of {@code insert} through
     * (it reads the statement's SQL; the method itself is not called).
     */
    void insertCopy();
}
