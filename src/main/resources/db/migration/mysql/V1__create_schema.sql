-- ispdb schema version 1 for MariaDB and MySQL (InnoDB, for transactions and foreign keys).
-- MariaDB commits each DDL statement by itself: every statement here may run again after an interrupted
-- init-schema (IF NOT EXISTS), which is how a rerun finishes the job.

CREATE TABLE IF NOT EXISTS dim_payment_method (
    payment_method_id   BIGINT NOT NULL PRIMARY KEY,
    payment_method_name MEDIUMTEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS dim_customer (
    customer_id            BIGINT NOT NULL PRIMARY KEY,
    age                    INT,
    gender                 MEDIUMTEXT,
    first_transaction_date DATETIME(6),
    last_transaction_date  DATETIME(6),
    survival_time          INT,
    event_observed         BOOLEAN
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS fact_transaction (
    transaction_id    BIGINT NOT NULL PRIMARY KEY,
    customer_id       BIGINT NOT NULL,
    payment_method_id BIGINT NOT NULL,
    transaction_date  DATETIME(6) NOT NULL,
    amount            DOUBLE NOT NULL,
    CONSTRAINT fk_fact_transaction_customer FOREIGN KEY (customer_id) REFERENCES dim_customer (customer_id),
    CONSTRAINT fk_fact_transaction_payment_method FOREIGN KEY (payment_method_id)
        REFERENCES dim_payment_method (payment_method_id),
    INDEX ix_fact_transaction_customer_id (customer_id),
    INDEX ix_fact_transaction_payment_method_id (payment_method_id),
    INDEX ix_fact_transaction_transaction_date (transaction_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS clv_prediction (
    prediction_id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id             BIGINT NOT NULL,
    clv                     DOUBLE NOT NULL,
    predicted_customer_type MEDIUMTEXT,
    is_campaign1_success    BOOLEAN,
    is_campaign2_success    BOOLEAN,
    predicted_at            DATETIME(6) NOT NULL,
    CONSTRAINT fk_clv_prediction_customer FOREIGN KEY (customer_id) REFERENCES dim_customer (customer_id),
    -- serves the foreign key and "the latest prediction of a customer"
    INDEX ix_clv_prediction_customer_id (customer_id, predicted_at, prediction_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
