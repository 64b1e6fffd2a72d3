package ispdb.load;

/**
 * What a bad row does: it rejects the whole load (FAIL), or it goes to the reject file and the good rows load
 * (SKIP).
 */
public enum OnError { FAIL, SKIP }
