-- ispdb schema version 5 for MariaDB and MySQL: the customers' purchase summaries, one row per customer with a
-- transaction, kept up to date by every load in the load's own transaction (from the touched customers'
-- transactions), so that refresh-customer-stats, rfm-summary, predict and report read one row per customer instead
-- of grouping every transaction. A purchase day is a calendar day of transaction_date. The sums are exact DECIMAL
-- (each amount as DECIMAL(65,30), its shortest decimal), as rfm-summary sums: total_amount is every day's total,
-- repeat_amount the days' after the first (rfm-summary's monetary value is repeat_amount / (purchase_days - 1)).
-- ispdb.db.AnalysisMapper's "purchaseSummaries" computes the same rows (refresh-customer-stats --full, the loads,
-- check): this fill is its text (IGNORE: an amount beyond DECIMAL(65,30) is cut to its largest value, as rfm-summary
-- reads it, instead of failing the upgrade). Every statement may run again after an interrupted init-schema.

CREATE TABLE IF NOT EXISTS customer_purchase_summary (
    customer_id            BIGINT NOT NULL PRIMARY KEY,
    first_transaction_date DATETIME(6) NOT NULL,
    last_transaction_date  DATETIME(6) NOT NULL,
    purchase_days          INT NOT NULL,
    transactions           BIGINT NOT NULL,
    total_amount           DECIMAL(65,30) NOT NULL,
    repeat_amount          DECIMAL(65,30) NOT NULL,
    CONSTRAINT fk_customer_purchase_summary_customer FOREIGN KEY (customer_id) REFERENCES dim_customer (customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

DELETE FROM customer_purchase_summary;

INSERT IGNORE INTO customer_purchase_summary (customer_id, first_transaction_date, last_transaction_date, purchase_days,
    transactions, total_amount, repeat_amount)
SELECT SQL_BIG_RESULT customer_id, MIN(first_date), MAX(last_date), COUNT(*), SUM(n), SUM(total),
    COALESCE(SUM(CASE WHEN day > first_day THEN total END), 0)
FROM (SELECT customer_id, day, first_date, last_date, n, total, MIN(day) OVER (PARTITION BY customer_id) AS first_day
      FROM (SELECT SQL_BIG_RESULT customer_id, DATE(transaction_date) AS day, MIN(transaction_date) AS first_date,
              MAX(transaction_date) AS last_date, COUNT(*) AS n, SUM(CAST(amount AS DECIMAL(65,30))) AS total
            FROM fact_transaction
            GROUP BY customer_id, DATE(transaction_date)) d) p
GROUP BY customer_id;
