package ispdb.report;

/** How a listing command prints its rows: aligned text for a terminal, or CSV or JSON for programs. */
public enum Format { TABLE, CSV, JSON }
