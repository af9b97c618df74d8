package org.openkyc.server.document.devset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.MrzResult;
import org.openkyc.server.document.MrzStatus;

/**
 * What a caller of the API would be shown for one image, against the truth. Fields are answered only from
 * a zone whose every check holds (MrzStatus VALID), and a field the reader marks unsure is not answered
 * (the API leaves it for the user to fill in): the name when either part is unsure, the nationality when
 * unsure, a date when the reader could not decide it.
 *
 * <p>READ: all of surname, given names, document number, nationality, birth date, expiry date and sex
 * answered and right. PARTIAL: some answered, all of them right, the rest left to the user. WRONG: any
 * answered field differs from the truth (a precision failure). NONE: nothing answered.
 */
public final class Scoring {

    public static final List<String> FIELDS = List.of("surname", "givenNames", "documentNumber", "nationality",
            "birthDate", "expiryDate", "sex");

    public enum Outcome { READ, PARTIAL, WRONG, NONE }

    /**
     * @param answered field name to the value answered (ISO dates), fields not answered absent
     * @param wrong    the answered fields that differ from the truth
     */
    public record Scored(Outcome outcome, Map<String, String> answered, List<String> wrong) {}

    private Scoring() {}

    /** The fields the API would show for this reading. */
    public static Map<String, String> answered(DocumentReading d) {
        Map<String, String> a = new LinkedHashMap<>();
        if (d == null || d.mrzStatus() != MrzStatus.VALID) {
            return a;
        }
        MrzResult m = d.mrz().orElseThrow();
        if (m.sure(MrzResult.SURNAME) && m.sure(MrzResult.GIVEN_NAMES)) {
            a.put("surname", words(m.surname()));
            a.put("givenNames", words(m.givenNames()));
        }
        if (m.documentNumber() != null && !m.documentNumber().isBlank()) {
            a.put("documentNumber", m.documentNumber());
        }
        if (m.sure(MrzResult.NATIONALITY)) {
            a.put("nationality", m.nationality().replace("<", ""));
        }
        Optional.ofNullable(m.birthDate()).ifPresent(v -> a.put("birthDate", v.toString()));
        Optional.ofNullable(m.expiryDate()).ifPresent(v -> a.put("expiryDate", v.toString()));
        a.put("sex", m.sex());
        return a;
    }

    public static Map<String, String> expected(Truth t) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("surname", t.surname());
        e.put("givenNames", t.givenNames());
        e.put("documentNumber", t.documentNumber());
        e.put("nationality", t.nationality());
        e.put("birthDate", t.birthDate().toString());
        e.put("expiryDate", t.expiryDate().toString());
        e.put("sex", t.sex());
        return e;
    }

    public static Scored score(Truth t, DocumentReading d) {
        Map<String, String> a = answered(d);
        Map<String, String> e = expected(t);
        List<String> wrong = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!Objects.equals(e.get(k), v)) {
                wrong.add(k);
            }
        });
        Outcome o = a.isEmpty() ? Outcome.NONE : !wrong.isEmpty() ? Outcome.WRONG
                : a.keySet().containsAll(FIELDS) ? Outcome.READ : Outcome.PARTIAL;
        return new Scored(o, a, wrong);
    }

    private static String words(String s) {
        return String.join(" ", s.replace('<', ' ').trim().split("\\s+")).trim();
    }
}
