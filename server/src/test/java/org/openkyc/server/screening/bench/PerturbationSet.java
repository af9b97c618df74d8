package org.openkyc.server.screening.bench;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openkyc.server.screening.EntityKind;
import org.openkyc.server.screening.ListEntry;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.SanctionsList;

/**
 * A perturbation set generated from the loaded lists with a fixed seed: listed
 * names with one misspelling, a dropped token, swapped tokens, or rendered in
 * Cyrillic (and Korean names in Hangul), each labelled with the entry it came
 * from; and names of unlisted people built from common given and family names,
 * among them ordinary names of many cultures written as their bearers write
 * them (Arabic, Greek, Cyrillic and Hangul script, hyphenated Korean given
 * names, Iberian, Dutch and German particles), and single given names.
 */
public final class PerturbationSet {

    /** A query and, for a perturbed listed name, the entry it must find (null for an unlisted name). */
    public record Probe(String kind, String query, EntityKind subject, String source, String entryId) {
        public boolean listed() {
            return entryId != null;
        }
    }

    static final String[] GIVEN = {"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
        "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
        "Charles", "Karen", "Emma", "Olivia", "Lucas", "Hugo", "Chloe", "Louise", "Jan", "Anna", "Lukas", "Sofia",
        "Minjun", "Seoyeon", "Jiho", "Haeun", "Somchai", "Malee", "Wei", "Fang", "Hiroshi", "Yuki", "Carlos",
        "Lucia", "Pedro", "Camila", "Ivan", "Olga", "Dmitri", "Elena", "Priya", "Arjun", "Fatima", "Omar",
        "Aisha", "Youssef", "Nguyen", "Linh", "Kwame", "Amara", "Sven", "Ingrid"};
    static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
        "Dubois", "Lefebvre", "Moreau", "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo",
        "Bianchi", "Novak", "Kowalski", "Nowak", "Jensen", "Nielsen", "Hansen", "Lindqvist", "Park", "Choi",
        "Jung", "Kang", "Yoon", "Tanaka", "Suzuki", "Watanabe", "Sato", "Chen", "Huang", "Zhou", "Sokolov",
        "Popova", "Kuznetsov", "Sharma", "Patel", "Gupta", "Okafor", "Mensah", "Silva", "Santos", "Oliveira",
        "Pereira", "Tremblay", "Gagnon", "Jaidee", "Srisuk"};

    /** Ordinary given and family names of one culture, as written by their bearers, family name first or last. */
    record Culture(String label, String[] given, String[] family, boolean familyFirst) {
    }

    static final List<Culture> CULTURES = List.of(
        new Culture("Arabic (Latin)", new String[] {"Samir", "Ahmed", "Mohamed", "Omar", "Youssef", "Khaled",
            "Karim", "Tarek", "Walid", "Nabil", "Fatima", "Leila", "Mariam", "Nour", "Rania", "Salma", "Hana",
            "Yasmin", "Hassan", "Ali"}, new String[] {"Farouk", "Haddad", "Khoury", "Mansour", "Nassar", "Saleh",
            "Hamdan", "Othman", "Zoubi", "Ghanem", "Aziz", "Sayegh", "Darwish", "Habib", "Shami", "Najjar",
            "Khatib", "Abboud", "Tawil", "Masri"}, false),
        new Culture("Arabic (Arabic script)", new String[] {"محمد", "أحمد", "علي", "حسن", "خالد", "عمر", "يوسف",
            "إبراهيم", "سامي", "كريم", "طارق", "وليد", "فاطمة", "عائشة", "مريم", "ليلى", "نور", "سارة", "هدى",
            "زينب"}, new String[] {"حداد", "خوري", "منصور", "العلي", "الأحمد", "السيد", "الشامي", "النجار",
            "الخطيب", "صالح", "حمدان", "عثمان", "الزعبي", "العمري", "الحسيني", "درويش", "المصري", "الطويل",
            "عبود", "غانم"}, false),
        new Culture("Greek (Greek script)", new String[] {"Γιώργος", "Νικόλαος", "Κώστας", "Δημήτρης", "Γιάννης",
            "Μαρία", "Ελένη", "Αικατερίνη", "Σοφία", "Αναστασία", "Παναγιώτης", "Βασίλειος"}, new String[] {
            "Παπαδόπουλος", "Παπαδάκης", "Νικολάου", "Γεωργίου", "Οικονόμου", "Μαυρίδης", "Αντωνίου",
            "Βασιλείου", "Δημητρίου", "Καραγιάννης", "Αλεξίου", "Πάππας"}, false),
        new Culture("Russian (Cyrillic)", new String[] {"Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Ольга",
            "Елена", "Наталья", "Татьяна", "Анна", "Николай", "Михаил"}, new String[] {"Иванов", "Смирнов",
            "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Федоров", "Морозов",
            "Волков"}, false),
        new Culture("Korean (Latin, hyphenated)", new String[] {"Da-eun", "Ji-woo", "Seo-yeon", "Min-jun",
            "Ha-eun", "Do-yun", "Ji-ho", "Su-bin", "Ye-jin", "Hyun-woo", "Eun-ji", "Jae-won"}, new String[] {
            "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Song", "Han"}, false),
        new Culture("Korean (Hangul)", new String[] {"민준", "서연", "지우", "하은", "도윤", "서준", "지민", "수빈",
            "예진", "현우", "다은", "재원"}, new String[] {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임",
            "송", "한"}, true),
        new Culture("Chinese (pinyin)", new String[] {"Wei", "Fang", "Na", "Min", "Jing", "Lei", "Jun", "Yan",
            "Hui", "Xiaoming", "Yong", "Jie"}, new String[] {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang",
            "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"}, true),
        new Culture("Indonesian", new String[] {"Rizky", "Budi", "Agus", "Dewi", "Siti", "Putri", "Andi", "Eko",
            "Wahyu", "Fitri", "Ayu", "Dian"}, new String[] {"Santoso", "Wijaya", "Saputra", "Hidayat",
            "Kurniawan", "Setiawan", "Pratama", "Nugroho", "Susanto", "Lestari", "Gunawan", "Halim"}, false),
        new Culture("Turkish", new String[] {"Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Emine", "Ayşe", "Fatma",
            "Zeynep", "Elif", "Burak", "Emre", "Murat"}, new String[] {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik",
            "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan"}, false),
        new Culture("Persian", new String[] {"Reza", "Hossein", "Mehdi", "Amir", "Sara", "Maryam", "Zahra",
            "Fatemeh", "Neda", "Parisa", "Babak", "Dariush"}, new String[] {"Mohammadi", "Hosseini", "Ahmadi",
            "Rezaei", "Moradi", "Karimi", "Rahimi", "Jafari", "Sadeghi", "Tehrani", "Kazemi", "Ghorbani"}, false),
        new Culture("Iberian (particles)", new String[] {"José", "Juan", "Luis", "Carmen", "María", "Ana",
            "Javier", "Diego", "Lucía", "João", "Pedro", "Beatriz"}, new String[] {"de la Cruz", "García López",
            "del Río", "Martínez", "Sánchez", "Ramírez y Ortega", "da Silva", "dos Santos", "de Souza",
            "das Neves", "Fernández de Córdoba", "de Oliveira"}, false),
        new Culture("Dutch and German (particles)", new String[] {"Jan", "Pieter", "Anna", "Lotte", "Daan",
            "Sanne", "Klaus", "Jürgen", "Greta", "Heike", "Lars", "Femke"}, new String[] {"van der Berg",
            "van Dijk", "de Vries", "van den Broek", "de Jong", "von Müller", "van Leeuwen", "ter Horst",
            "von Weizsäcker", "Schäfer", "Bakker", "Hoffmann"}, false),
        new Culture("South Asian", new String[] {"Rahul", "Priya", "Amit", "Sunita", "Deepak", "Anjali",
            "Vikram", "Pooja", "Rohan", "Imran", "Ayesha", "Sanjay"}, new String[] {"Sharma", "Verma", "Gupta",
            "Singh", "Kumar", "Reddy", "Iyer", "Chaudhry", "Malik", "Qureshi", "Nair", "Joshi"}, false),
        new Culture("Vietnamese", new String[] {"Van Anh", "Van Minh", "Thi Lan", "Thi Mai", "Van Hung",
            "Thi Huong", "Van Tuan", "Thi Thao", "Van Dung", "Van Long", "Thi Hoa", "Van Nam"}, new String[] {
            "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ngo", "Duong"}, true),
        new Culture("African", new String[] {"Kwame", "Ama", "Chinedu", "Ngozi", "Oluwaseun", "Amina", "Tendai",
            "Thabo", "Abebe", "Wanjiru", "Kofi", "Fatou"}, new String[] {"Mensah", "Okafor", "Adeyemi", "Nwosu",
            "Diallo", "Traoré", "Mwangi", "Dlamini", "Ndlovu", "Kamau", "Banda", "Tesfaye"}, false));

    private PerturbationSet() {
    }

    public static List<Probe> generate(List<SanctionsList> lists, int perType, long seed) {
        Random rnd = new Random(seed);
        List<ListEntry> pool = new ArrayList<>();
        for (SanctionsList l : lists) {
            for (ListEntry e : l.entries()) {
                if ((e.kind() == EntityKind.PERSON || e.kind() == EntityKind.ORGANISATION)
                        && NameNormalizer.tokens(e.name(), e.kind()).size() >= 2) {
                    pool.add(e);
                }
            }
        }
        Transliterator cyrillic = Transliterator.getInstance("Latin-Cyrillic");
        Transliterator hangul = Transliterator.getInstance("Latin-Hangul");
        List<Probe> out = new ArrayList<>();
        for (int i = 0; i < perType; i++) {
            ListEntry e = pool.get(rnd.nextInt(pool.size()));
            out.add(probe("misspelling", misspell(e.name(), rnd), e));
            e = pool.get(rnd.nextInt(pool.size()));
            List<String> t = words(e.name());
            if (t.size() >= 3) {
                t.remove(1 + rnd.nextInt(t.size() - 1));
                out.add(probe("token drop", String.join(" ", t), e));
            } else {
                i--;
                continue;
            }
            e = pool.get(rnd.nextInt(pool.size()));
            List<String> s = words(e.name());
            java.util.Collections.reverse(s);
            out.add(probe("token swap", String.join(" ", s), e));
            e = pool.get(rnd.nextInt(pool.size()));
            out.add(probe("transliteration (Cyrillic)", cyrillic.transliterate(String.join(" ", words(e.name()))
                    .toLowerCase(java.util.Locale.ROOT)), e));
        }
        // Korean names in Hangul: entries of the North Korea programmes.
        List<ListEntry> korean = pool.stream().filter(e -> e.kind() == EntityKind.PERSON
                && e.programs().stream().anyMatch(p -> p.startsWith("DPRK"))).toList();
        for (int i = 0; i < Math.min(perType / 4, korean.size()); i++) {
            ListEntry e = korean.get(rnd.nextInt(korean.size()));
            out.add(probe("transliteration (Hangul)", hangul.transliterate(String.join(" ", words(e.name()))
                    .toLowerCase(java.util.Locale.ROOT)), e));
        }
        for (int i = 0; i < perType * 4; i++) {
            String name = GIVEN[rnd.nextInt(GIVEN.length)] + " " + FAMILY[rnd.nextInt(FAMILY.length)];
            out.add(new Probe("unlisted common name", name, EntityKind.PERSON, null, null));
        }
        // Ordinary names of many cultures: distinct combinations, a fifth of perType per culture (100 by default).
        for (Culture c : CULTURES) {
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            int want = Math.min(perType / 5, c.given().length * c.family().length);
            while (seen.size() < want) {
                String g = c.given()[rnd.nextInt(c.given().length)];
                String f = c.family()[rnd.nextInt(c.family().length)];
                String sep = c.label().contains("Hangul") ? "" : " ";
                seen.add(c.familyFirst() ? f + sep + g : g + sep + f);
            }
            for (String name : seen) {
                out.add(new Probe("unlisted: " + c.label(), name, EntityKind.PERSON, null, null));
            }
        }
        // A given name alone, from every culture.
        java.util.Set<String> single = new java.util.LinkedHashSet<>(List.of(GIVEN));
        for (Culture c : CULTURES) {
            single.addAll(List.of(c.given()));
        }
        for (String g : single) {
            out.add(new Probe("unlisted: single given name", g, EntityKind.PERSON, null, null));
        }
        return out;
    }

    private static Probe probe(String kind, String query, ListEntry e) {
        return new Probe(kind, query, e.kind(), e.source(), e.entryId());
    }

    private static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        for (String w : name.replace(",", " ").split("\\s+")) {
            if (!w.isBlank()) {
                out.add(w);
            }
        }
        return out;
    }

    /** One substitution, deletion, insertion or transposition inside a token of four letters or more. */
    static String misspell(String name, Random rnd) {
        List<String> w = words(name);
        List<Integer> longOnes = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).length() >= 4) {
                longOnes.add(i);
            }
        }
        if (longOnes.isEmpty()) {
            return String.join(" ", w);
        }
        int wi = longOnes.get(rnd.nextInt(longOnes.size()));
        StringBuilder t = new StringBuilder(w.get(wi));
        int pos = 1 + rnd.nextInt(t.length() - 1);
        char letter = (char) ('a' + rnd.nextInt(26));
        switch (rnd.nextInt(4)) {
            case 0 -> t.setCharAt(pos, letter);
            case 1 -> t.deleteCharAt(pos);
            case 2 -> t.insert(pos, letter);
            default -> {
                if (pos + 1 < t.length()) {
                    char c = t.charAt(pos);
                    t.setCharAt(pos, t.charAt(pos + 1));
                    t.setCharAt(pos + 1, c);
                } else {
                    t.setCharAt(pos, letter);
                }
            }
        }
        w.set(wi, t.toString());
        return String.join(" ", w);
    }
}
