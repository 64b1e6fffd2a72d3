-- ispdb schema version 3: an index on clv_prediction.clv, so that list-customers --sort clv reads the
-- predictions in clv order and stops at --limit (a top 10 of a million predictions reads a few index pages
-- instead of every customer's latest prediction).

CREATE INDEX IF NOT EXISTS ix_clv_prediction_clv ON clv_prediction (clv);
