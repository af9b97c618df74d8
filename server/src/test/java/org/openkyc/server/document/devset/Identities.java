package org.openkyc.server.document.devset;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.MrzParser;

/**
 * Varied holders for the development set, and the ICAO 9303 zone that encodes them: names of many
 * origins with accents transliterated (Ü as UE, Ø as OE, Å as AA), hyphens and apostrophes, surname-only
 * holders, names long enough to be truncated, short document numbers ending in fillers, an unspecified sex,
 * and the ICAO codes that are no ISO country (D, UNO, XXA, RKS, GBD...). Deterministic for a given Random.
 */
final class Identities {

    /** Surname as printed (the zone spells it transliterated). */
    private static final String[] SURNAMES = {"Eriksson", "Müller", "Nguyễn", "Okonkwo", "García López",
        "van der Berg", "Kim", "Rattanakosin", "O'Brien", "Dubois-Lefèvre", "Rossi", "Smith", "Tanaka", "Silva",
        "Björk", "Abdullah", "Petrova", "Martínez", "Kowalski", "Hassan", "Oyelaran", "Lindqvist", "Øvergård",
        "Ålund", "Zhang", "Papadopoulos", "Nakamura", "Al-Rashid", "Ben Youssef", "Çelik", "Kovačević",
        "Mbeki", "Haddad", "Fernández de Córdoba", "Schmidt", "Jankowska", "Traoré", "Ng"};
    private static final String[] GIVEN = {"Anna Maria", "John", "Min Jun", "Chioma", "Lucía", "Pieter",
        "Somsak", "Sean Patrick", "Marie-Claire", "Giulia", "Oliver", "Yuki", "João", "Sigrid", "Omar", "Elena",
        "José Luis", "Agnieszka", "Fatima Zahra", "Ade", "Bo", "Jürgen", "Zoë", "Nils Erik", "Amani", "Li",
        "Ahmed", "Dragana", "Mamadou", "Ingrid"};
    /** Parts of names long enough to be truncated in every layout. */
    private static final String[] LONG_SURNAMES = {"Wolfeschlegelsteinhausenbergerdorff",
        "Vandenberghe-Delacroix-Montmorency", "Papadimitriou-Konstantinopoulou", "Hernández de la Santísima Trinidad",
        "Bandaranaike Wijesinghe Jayawardena"};
    private static final String[] LONG_GIVEN = {"Maria del Carmen Isabel Guadalupe", "Christopher Alexander Maximilian",
        "Oluwaseun Adebayo Olumide", "Siddharth Venkatanarasimha Raghavan"};
    /** Issuing states: ISO codes and the ICAO codes that are not ISO ones. */
    private static final String[] STATES = {"UTO", "D", "FRA", "NLD", "KOR", "THA", "USA", "GBR", "NGA", "BRA",
        "JPN", "SWE", "POL", "ITA", "ESP", "UNO", "RKS", "IND", "EGY", "CAN", "MEX", "GBD", "EUE"};
    /** Nationalities: as above plus the stateless and refugee codes and the other UN codes. */
    private static final String[] NATIONALITIES = {"UTO", "D", "FRA", "NLD", "KOR", "THA", "USA", "GBR", "NGA",
        "BRA", "JPN", "SWE", "UNA", "UNO", "XXA", "XXB", "XXC", "RKS", "GBN", "IND", "CHN", "TUR"};
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private Identities() {}

    static Truth random(Random rnd, MrzFormat format) {
        String state = pick(rnd, STATES);
        if (format.visa() && state.equals("EUE")) {
            state = "FRA";
        }
        String nationality = rnd.nextInt(3) == 0 ? pick(rnd, NATIONALITIES) : state.equals("UNO") || state.equals("EUE")
                ? pick(rnd, NATIONALITIES) : state;
        String surname;
        String given;
        int kind = rnd.nextInt(10);
        if (kind < 2) {
            surname = pick(rnd, LONG_SURNAMES);
            given = pick(rnd, LONG_GIVEN);
        } else if (kind == 2) {
            surname = pick(rnd, SURNAMES);  // a holder with one name only
            given = "";
        } else {
            surname = pick(rnd, SURNAMES);
            given = pick(rnd, GIVEN);
        }
        String number = documentNumber(rnd);
        LocalDate birth = LocalDate.of(1940 + rnd.nextInt(66), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        LocalDate expiry = LocalDate.of(2027 + rnd.nextInt(10), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        int s = rnd.nextInt(20);
        String sex = s == 0 ? "X" : s < 10 ? "M" : "F";
        String type = switch (format) {
            case TD3 -> rnd.nextInt(5) == 0 ? "PD" : "P";
            case TD1 -> pick(rnd, new String[] {"I", "ID", "IR", "AC"});
            case TD2 -> pick(rnd, new String[] {"I", "ID", "IP"});
            case MRV_A, MRV_B -> rnd.nextBoolean() ? "V" : "VC";
        };
        int optLen = switch (format) {
            case TD3 -> 14;
            case TD1 -> 15;
            case TD2 -> 7;
            case MRV_A -> 16;
            case MRV_B -> 8;
        };
        String optional = "";
        if (rnd.nextBoolean()) {
            StringBuilder o = new StringBuilder();
            int n = Math.min(optLen, 6 + rnd.nextInt(6));
            for (int i = 0; i < n; i++) {
                o.append(rnd.nextInt(4) == 0 ? LETTERS.charAt(rnd.nextInt(26)) : (char) ('0' + rnd.nextInt(10)));
            }
            optional = o.toString();
        }
        List<String> lines = lines(format, type, state, mrzName(surname), mrzName(given), number, nationality, birth,
                sex, expiry, optional);
        String nameField = format == MrzFormat.TD1 ? lines.get(2) : lines.get(0).substring(5);
        int sep = nameField.indexOf("<<");
        String zSurname = sep < 0 ? nameField : nameField.substring(0, sep);
        String zGiven = sep < 0 ? "" : nameField.substring(sep + 2);
        String printed = surname.toUpperCase(Locale.ROOT) + (given.isEmpty() ? "" : ", " + given);
        return new Truth(format.name(), format, type, state, words(zSurname), words(zGiven), number.replace("<", ""),
                nationality, birth, sex, expiry, optional, lines, printed);
    }

    private static String documentNumber(Random rnd) {
        StringBuilder n = new StringBuilder();
        int len = rnd.nextInt(4) == 0 ? 6 + rnd.nextInt(3) : 9;  // some numbers are shorter and end in fillers
        n.append(LETTERS.charAt(rnd.nextInt(26)));
        if (rnd.nextBoolean()) {
            n.append(LETTERS.charAt(rnd.nextInt(26)));
        }
        while (n.length() < len) {
            // Mostly digits, some letters: the mix on which O/0 and I/1 confusions matter.
            n.append(rnd.nextInt(5) == 0 ? LETTERS.charAt(rnd.nextInt(26)) : (char) ('0' + rnd.nextInt(10)));
        }
        return n.toString();
    }

    /** ICAO 9303 part 3 transliteration of a name to the zone's A-Z and fillers. */
    static String mrzName(String name) {
        String s = name.toUpperCase(Locale.ROOT).replace("Ä", "AE").replace("Ö", "OE").replace("Ü", "UE")
                .replace("Å", "AA").replace("Æ", "AE").replace("Ø", "OE").replace("ß", "SS").replace("'", "");
        s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return s.replace('-', '<').replace(' ', '<').replaceAll("[^A-Z<]", "");
    }

    private static String words(String zone) {
        return String.join(" ", zone.replace('<', ' ').trim().split(" +")).trim();
    }

    private static String pick(Random rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }

    private static String pad(String s, int n) {
        return s.length() > n ? s.substring(0, n) : s + "<".repeat(n - s.length());
    }

    private static String yymmdd(LocalDate d) {
        return String.format("%02d%02d%02d", d.getYear() % 100, d.getMonthValue(), d.getDayOfMonth());
    }

    private static int cd(String s) {
        return MrzParser.checkDigit(s);
    }

    /** The zone's lines; names are truncated at the end of their field, as ICAO 9303 part 3 allows. */
    static List<String> lines(MrzFormat f, String type, String state, String surname, String given, String number,
            String nat, LocalDate birth, String sex, LocalDate expiry, String optional) {
        String names = given.isEmpty() ? surname : surname + "<<" + given;
        String b = yymmdd(birth);
        String e = yymmdd(expiry);
        String sx = sex.equals("X") ? "<" : sex;
        String num = pad(number, 9);
        switch (f) {
            case TD3 -> {
                String l1 = pad(type, 2) + pad(state, 3) + pad(names, 39);
                String opt = pad(optional, 14);
                String optCheck = optional.isEmpty() ? "<" : String.valueOf(cd(opt));
                String l2 = num + cd(num) + pad(nat, 3) + b + cd(b) + sx + e + cd(e) + opt + optCheck;
                String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43);
                return List.of(l1, l2 + cd(comp));
            }
            case TD2 -> {
                String l1 = pad(type, 2) + pad(state, 3) + pad(names, 31);
                String l2 = num + cd(num) + pad(nat, 3) + b + cd(b) + sx + e + cd(e) + pad(optional, 7);
                String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35);
                return List.of(l1, l2 + cd(comp));
            }
            case MRV_A, MRV_B -> {
                int n = f.length();
                String l1 = pad(type, 2) + pad(state, 3) + pad(names, n - 5);
                String l2 = num + cd(num) + pad(nat, 3) + b + cd(b) + sx + e + cd(e) + pad(optional, n - 28);
                return List.of(l1, l2);
            }
            default -> {
                String l1 = pad(type, 2) + pad(state, 3) + num + cd(num) + pad(optional, 15);
                String l2 = b + cd(b) + sx + e + cd(e) + pad(nat, 3) + pad("", 11);
                String comp = l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29);
                return List.of(l1, l2 + cd(comp), pad(names, 30));
            }
        }
    }
}
