package ispdb.load;

/**
 * What a row whose key is already in the table does: it is a bad row (INSERT), it replaces the stored row (UPSERT),
 * or it is skipped (SKIP_EXISTING).
 */
public enum Mode { INSERT, UPSERT, SKIP_EXISTING }
