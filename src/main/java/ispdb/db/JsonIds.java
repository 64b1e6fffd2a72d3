package ispdb.db;

/**
 * A list of keys as one statement parameter: a JSON array ("[3, 17, 42]"), which every database reads as rows
 * (SQLite json_each, PostgreSQL jsonb_array_elements_text, MariaDB JSON_TABLE), whatever the count.
 */
public final class JsonIds {
    private JsonIds() {
    }

    /** The keys {@code ids[from]} to {@code ids[to - 1]} as a JSON array. */
    public static String of(long[] ids, int from, int to) {
        StringBuilder json = new StringBuilder(2 + (to - from) * 9).append('[');
        for (int i = from; i < to; i++) {
            json.append(i == from ? "" : ",").append(ids[i]);
        }
        return json.append(']').toString();
    }
}
