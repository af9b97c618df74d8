package org.openkyc.server.geo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An immutable map from a name to place indexes, packed into four arrays: every name's UTF-8 bytes one after the
 * other in sorted order, and every name's indexes one after the other. The gazetteer's names (its places' and
 * their alternate names, several hundred thousand) took about 110 bytes each as a {@code HashMap} of strings to
 * arrays; here they take their length plus 8 bytes and one int per index. Look-up is a binary search.
 */
final class NameIndex {

    private static final int[] NONE = new int[0];

    private final byte[] names;
    /** Where name i starts in {@link #names}; one more entry than names, the last the total length. */
    private final int[] nameStarts;
    private final int[] values;
    /** Where the indexes of name i start in {@link #values}; one more entry than names. */
    private final int[] valueStarts;

    NameIndex(Map<String, ? extends List<Integer>> map) {
        byte[][] keys = new byte[map.size()][];
        int[][] ids = new int[map.size()][];
        int n = 0;
        for (Map.Entry<String, ? extends List<Integer>> e : map.entrySet()) {
            keys[n] = e.getKey().getBytes(StandardCharsets.UTF_8);
            ids[n] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            n++;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        long nameBytes = 0;
        long valueCount = 0;
        for (int i = 0; i < n; i++) {
            nameBytes += keys[i].length;
            valueCount += ids[i].length;
        }
        names = new byte[Math.toIntExact(nameBytes)];
        values = new int[Math.toIntExact(valueCount)];
        nameStarts = new int[n + 1];
        valueStarts = new int[n + 1];
        int at = 0;
        int v = 0;
        for (int i = 0; i < n; i++) {
            byte[] k = keys[order[i]];
            int[] x = ids[order[i]];
            nameStarts[i] = at;
            valueStarts[i] = v;
            System.arraycopy(k, 0, names, at, k.length);
            System.arraycopy(x, 0, values, v, x.length);
            at += k.length;
            v += x.length;
        }
        nameStarts[n] = at;
        valueStarts[n] = v;
    }

    /** The indexes stored for {@code name} (a copy), empty when it has none. */
    int[] get(String name) {
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        int lo = 0;
        int hi = nameStarts.length - 2;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(names, nameStarts[mid], nameStarts[mid + 1], key, 0, key.length);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return Arrays.copyOfRange(values, valueStarts[mid], valueStarts[mid + 1]);
            }
        }
        return NONE;
    }

    int size() {
        return nameStarts.length - 1;
    }
}
