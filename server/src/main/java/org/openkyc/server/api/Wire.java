package org.openkyc.server.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.openkyc.server.error.DomainException;

/** Formats and parses the wire forms of dates and times shared by the API adapters. */
final class Wire {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private Wire() {
    }

    /**
     * ISO-8601 UTC with milliseconds: "2022-04-07T00:30:35.919Z". Written digit by digit for years 1-9999 (every
     * answer carries several timestamps; the general formatter cost 5 % of a status read's CPU), by the
     * formatter otherwise.
     */
    static String timestamp(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 1 || year > 9999) {
            return TIMESTAMP.format(t);
        }
        byte[] b = new byte[24];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, d.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, d.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, d.getHour(), 2);
        b[13] = ':';
        digits(b, 14, d.getMinute(), 2);
        b[16] = ':';
        digits(b, 17, d.getSecond(), 2);
        b[19] = '.';
        digits(b, 20, d.getNano() / 1_000_000, 3);
        b[23] = 'Z';
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    static String date(LocalDate d) {
        return d.toString();
    }

    /** An optional date given as YYYY-MM-DD or YYYYMMDD; empty when blank. */
    static Optional<LocalDate> optionalDate(String value, String field) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            return Optional.of(v.length() == 8 ? LocalDate.parse(v, BASIC_DATE) : LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField(field, field + " must be a date as YYYY-MM-DD or YYYYMMDD");
        }
    }

    static Instant instant(String value, String field) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField(field, field + " must be an ISO-8601 UTC time as returned in nextpageKey");
        }
    }

    static Optional<String> optionalText(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
