-- ispdb schema version 6 for PostgreSQL: the revenue per calendar month ('YYYY-MM' of transaction_date) and payment
-- method, one row per month and payment method with a transaction, kept up to date by every load in the load's own
-- transaction (the months of the transactions it writes are made again from their transactions), so that report
-- reads a few hundred rows instead of grouping every transaction. The sum is exact NUMERIC (each amount as NUMERIC,
-- its 15 significant digits), as rfm-summary sums. ispdb.db.AnalysisMapper's "monthlyRevenueOf" computes the same
-- rows (the loads, refresh-customer-stats --full, check, the report's as-of month): this fill is its text.

CREATE TABLE monthly_revenue (
    month             TEXT NOT NULL,
    payment_method_id BIGINT NOT NULL,
    revenue           NUMERIC NOT NULL,
    PRIMARY KEY (month, payment_method_id)
);

INSERT INTO monthly_revenue (month, payment_method_id, revenue)
SELECT to_char(transaction_date, 'YYYY-MM') AS month, payment_method_id, SUM(CAST(amount AS NUMERIC)) AS revenue
FROM fact_transaction
GROUP BY to_char(transaction_date, 'YYYY-MM'), payment_method_id;
