-- ispdb schema version 6 for MariaDB and MySQL: the revenue per calendar month ('YYYY-MM' of transaction_date) and
-- payment method, one row per month and payment method with a transaction, kept up to date by every load in the
-- load's own transaction (the months of the transactions it writes are made again from their transactions), so that
-- report reads a few hundred rows instead of grouping every transaction. The sum is exact DECIMAL (each amount as
-- DECIMAL(65,30), its shortest decimal), as rfm-summary sums. ispdb.db.AnalysisMapper's "monthlyRevenueOf" computes
-- the same rows (the loads, refresh-customer-stats --full, check, the report's as-of month): this fill is its text
-- (IGNORE: a sum beyond DECIMAL(65,30) is cut to its largest value instead of failing the upgrade). Every statement
-- may run again after an interrupted init-schema.

CREATE TABLE IF NOT EXISTS monthly_revenue (
    month             CHAR(7) NOT NULL,
    payment_method_id BIGINT NOT NULL,
    revenue           DECIMAL(65,30) NOT NULL,
    PRIMARY KEY (month, payment_method_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

DELETE FROM monthly_revenue;

INSERT IGNORE INTO monthly_revenue (month, payment_method_id, revenue)
SELECT DATE_FORMAT(transaction_date, '%Y-%m') AS month, payment_method_id,
    SUM(CAST(amount AS DECIMAL(65,30))) AS revenue
FROM fact_transaction
GROUP BY DATE_FORMAT(transaction_date, '%Y-%m'), payment_method_id;
