package org.openkyc.server.screening;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A date of birth as precise as it is known: a year, optionally its month and day (0 when unknown). */
public record BirthDate(int year, int month, int day) {

    private static final Pattern ISO = Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?");

    public BirthDate {
        if (year < 1800 || year > 2200 || month < 0 || month > 12 || day < 0 || day > 31 || (month == 0 && day != 0)) {
            throw new IllegalArgumentException("not a plausible date of birth");
        }
        if (day != 0) {
            try {
                LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("not a calendar date", e);
            }
        }
    }

    /** Parses YYYY, YYYY-MM or YYYY-MM-DD; empty when the text is not one of those. */
    public static Optional<BirthDate> parseIso(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = ISO.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BirthDate(Integer.parseInt(m.group(1)),
                    m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean fullDate() {
        return day != 0;
    }

    @Override
    public String toString() {
        if (month == 0) {
            return String.format("%04d", year);
        }
        if (day == 0) {
            return String.format("%04d-%02d", year, month);
        }
        return String.format("%04d-%02d-%02d", year, month, day);
    }
}
