package org.openkyc.server.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NameIndexTest {

    @Test
    void findsEveryNameAndNothingElse() {
        Map<String, List<Integer>> map = new HashMap<>();
        map.put("london", List.of(3, 17));
        map.put("londonderry", List.of(4));
        map.put("lond", List.of(5));
        map.put("москва", List.of(8));
        map.put("東京", List.of(9));
        map.put("são paulo", List.of(10));
        map.put("", List.of(11));
        NameIndex index = new NameIndex(map);
        assertThat(index.size()).isEqualTo(7);
        map.forEach((k, v) -> assertThat(index.get(k)).as(k).isEqualTo(v.stream().mapToInt(Integer::intValue).toArray()));
        assertThat(index.get("londo")).isEmpty();
        assertThat(index.get("londons")).isEmpty();
        assertThat(index.get("zzz")).isEmpty();
        assertThat(index.get("a")).isEmpty();
        assertThat(index.get("москв")).isEmpty();
        // Callers get a copy: changing it changes nothing in the index.
        index.get("london")[0] = 99;
        assertThat(index.get("london")).containsExactly(3, 17);
    }

    @Test
    void agreesWithAHashMapOnManyRandomNames() {
        SplittableRandom random = new SplittableRandom(11);
        Map<String, List<Integer>> map = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            map.put(word(random), List.of(i, i + 1));
        }
        NameIndex index = new NameIndex(map);
        map.forEach((k, v) -> assertThat(index.get(k)).isEqualTo(v.stream().mapToInt(Integer::intValue).toArray()));
        for (int i = 0; i < 20_000; i++) {
            String w = word(random);
            assertThat(index.get(w)).isEqualTo(map.containsKey(w)
                    ? map.get(w).stream().mapToInt(Integer::intValue).toArray() : new int[0]);
        }
    }

    private static String word(SplittableRandom random) {
        char[] c = new char[1 + random.nextInt(6)];
        for (int i = 0; i < c.length; i++) {
            // Latin letters, and now and then a Cyrillic or CJK one (two and three UTF-8 bytes).
            int r = random.nextInt(30);
            c[i] = r < 26 ? (char) ('a' + r) : r < 28 ? (char) (0x0430 + random.nextInt(32)) : (char) (0x6771 + random.nextInt(4));
        }
        return new String(c);
    }
}
