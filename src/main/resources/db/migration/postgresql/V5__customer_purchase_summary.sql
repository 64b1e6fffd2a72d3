-- ispdb schema version 5 for PostgreSQL: the customers' purchase summaries, one row per customer with a
-- transaction, kept up to date by every load in the load's own transaction (from the touched customers'
-- transactions), so that refresh-customer-stats, rfm-summary, predict and report read one row per customer instead
-- of grouping every transaction. A purchase day is a calendar day of transaction_date. The sums are exact NUMERIC
-- (each amount as NUMERIC, its 15 significant digits), as rfm-summary sums: total_amount is every day's total,
-- repeat_amount the days' after the first (rfm-summary's monetary value is repeat_amount / (purchase_days - 1)).
-- ispdb.db.AnalysisMapper's "purchaseSummaries" computes the same rows (refresh-customer-stats --full, the loads,
-- check): this fill is its text.

CREATE TABLE customer_purchase_summary (
    customer_id            BIGINT PRIMARY KEY,
    first_transaction_date TIMESTAMP NOT NULL,
    last_transaction_date  TIMESTAMP NOT NULL,
    purchase_days          INTEGER NOT NULL,
    transactions           BIGINT NOT NULL,
    total_amount           NUMERIC NOT NULL,
    repeat_amount          NUMERIC NOT NULL,
    CONSTRAINT fk_customer_purchase_summary_customer FOREIGN KEY (customer_id) REFERENCES dim_customer (customer_id)
);

INSERT INTO customer_purchase_summary (customer_id, first_transaction_date, last_transaction_date, purchase_days,
    transactions, total_amount, repeat_amount)
SELECT customer_id, MIN(first_date), MAX(last_date), COUNT(*), SUM(n), SUM(total),
    COALESCE(SUM(CASE WHEN day > first_day THEN total END), 0)
FROM (SELECT customer_id, day, first_date, last_date, n, total, MIN(day) OVER (PARTITION BY customer_id) AS first_day
      FROM (SELECT customer_id, CAST(transaction_date AS DATE) AS day, MIN(transaction_date) AS first_date,
              MAX(transaction_date) AS last_date, COUNT(*) AS n, SUM(CAST(amount AS NUMERIC)) AS total
            FROM fact_transaction
            GROUP BY customer_id, CAST(transaction_date AS DATE)) d) p
GROUP BY customer_id;
