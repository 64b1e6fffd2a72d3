-- ispdb schema version 1 for SQLite.
-- Timestamps are text 'YYYY-MM-DD HH:MM:SS.ffffff' and booleans the integers 0 and 1, as the analysts'
-- SQLAlchemy models read them.

CREATE TABLE dim_payment_method (
    payment_method_id   INTEGER PRIMARY KEY,
    payment_method_name TEXT NOT NULL
);

CREATE TABLE dim_customer (
    customer_id            INTEGER PRIMARY KEY,
    age                    INTEGER,
    gender                 TEXT,
    first_transaction_date TIMESTAMP,
    last_transaction_date  TIMESTAMP,
    survival_time          INTEGER,
    event_observed         BOOLEAN CHECK (event_observed IN (0, 1))
);

CREATE TABLE fact_transaction (
    transaction_id    INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES dim_customer (customer_id),
    payment_method_id INTEGER NOT NULL REFERENCES dim_payment_method (payment_method_id),
    transaction_date  TIMESTAMP NOT NULL,
    amount            REAL NOT NULL
);

CREATE INDEX ix_fact_transaction_customer_id ON fact_transaction (customer_id);
CREATE INDEX ix_fact_transaction_payment_method_id ON fact_transaction (payment_method_id);
CREATE INDEX ix_fact_transaction_transaction_date ON fact_transaction (transaction_date);

CREATE TABLE clv_prediction (
    prediction_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id             INTEGER NOT NULL REFERENCES dim_customer (customer_id),
    clv                     REAL NOT NULL,
    predicted_customer_type TEXT,
    is_campaign1_success    BOOLEAN CHECK (is_campaign1_success IN (0, 1)),
    is_campaign2_success    BOOLEAN CHECK (is_campaign2_success IN (0, 1)),
    predicted_at            TIMESTAMP NOT NULL
);

-- serves the foreign key and "the latest prediction of a customer"
CREATE INDEX ix_clv_prediction_customer_id ON clv_prediction (customer_id, predicted_at, prediction_id);
