-- ispdb schema version 6 for SQLite: the revenue per calendar month ('YYYY-MM' of transaction_date) and payment
-- method, one row per month and payment method with a transaction, kept up to date by every load in the load's own
-- transaction (the months of the transactions it writes are made again from their transactions), so that report
-- reads a few hundred rows instead of grouping every transaction. The sum is of doubles added in one stated order (a
-- month's amounts in transaction_id order), so that the same transactions give the same sum to the last bit however
-- the database plans the query. ispdb.db.AnalysisMapper's "monthlyRevenueOf" computes the same rows (the loads,
-- refresh-customer-stats --full, check, the report's as-of month): this fill is its text.

CREATE TABLE monthly_revenue (
    month             TEXT NOT NULL,
    payment_method_id INTEGER NOT NULL,
    revenue           REAL NOT NULL,
    PRIMARY KEY (month, payment_method_id)
);

INSERT INTO monthly_revenue (month, payment_method_id, revenue)
SELECT substr(transaction_date, 1, 7) AS month, payment_method_id, SUM(amount ORDER BY transaction_id) AS revenue
FROM fact_transaction
GROUP BY substr(transaction_date, 1, 7), payment_method_id;
