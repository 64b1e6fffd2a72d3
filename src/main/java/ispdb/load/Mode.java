package ispdb.load;

/** What a row whose key is already in the table does: it is a bad row (INSERT), it replaces the stored row, or it is skipped. */
public enum Mode { INSERT, UPSERT, SKIP_EXISTING }
