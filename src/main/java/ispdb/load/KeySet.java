package ispdb.load;

import org.roaringbitmap.longlong.Roaring64Bitmap;

/** A compact set of key values (a few bits per key for the dense ids exports have). */
final class KeySet {
    private final Roaring64Bitmap keys = new Roaring64Bitmap();

    void add(long key) {
        keys.addLong(key);
    }

    long size() {
        return keys.getLongCardinality();
    }

    boolean contains(long key) {
        return keys.contains(key);
    }

    /** The keys, ascending. */
    long[] toArray() {
        return keys.toArray();
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }
}
