-- ispdb schema version 5 for SQLite: the customers' purchase summaries, one row per customer with a transaction,
-- kept up to date by every load in the load's own transaction (from the touched customers' transactions), so that
-- refresh-customer-stats, rfm-summary, predict and report read one row per customer instead of grouping every
-- transaction. Timestamps are text 'YYYY-MM-DD HH:MM:SS.ffffff'. A purchase day is a calendar day of
-- transaction_date. The sums are doubles added in one stated order, so that the same transactions give the same
-- sums to the last bit however the database plans the query: a day's amounts in transaction_id order, the days'
-- totals in day order. total_amount is every day's total, repeat_amount the days' after the first (rfm-summary's
-- monetary value is repeat_amount / (purchase_days - 1)). ispdb.db.AnalysisMapper's "purchaseSummaries" computes the
-- same rows (refresh-customer-stats --full, the loads, check): this fill is its text.

CREATE TABLE customer_purchase_summary (
    customer_id            INTEGER PRIMARY KEY REFERENCES dim_customer (customer_id),
    first_transaction_date TIMESTAMP NOT NULL,
    last_transaction_date  TIMESTAMP NOT NULL,
    purchase_days          INTEGER NOT NULL,
    transactions           INTEGER NOT NULL,
    total_amount           REAL NOT NULL,
    repeat_amount          REAL NOT NULL
);

INSERT INTO customer_purchase_summary (customer_id, first_transaction_date, last_transaction_date, purchase_days,
    transactions, total_amount, repeat_amount)
SELECT customer_id, MIN(first_date), MAX(last_date), COUNT(*), SUM(n), SUM(total ORDER BY day),
    COALESCE(SUM(CASE WHEN day > first_day THEN total END ORDER BY day), 0.0)
FROM (SELECT customer_id, day, first_date, last_date, n, total, MIN(day) OVER (PARTITION BY customer_id) AS first_day
      FROM (SELECT customer_id, substr(transaction_date, 1, 10) AS day, MIN(transaction_date) AS first_date,
              MAX(transaction_date) AS last_date, COUNT(*) AS n, SUM(amount ORDER BY transaction_id) AS total
            FROM fact_transaction
            GROUP BY customer_id, substr(transaction_date, 1, 10)) d) p
GROUP BY customer_id;
