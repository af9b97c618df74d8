package org.openkyc.server.screening;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma-separated fields, double-quoted fields may
 * hold commas, doubled quotes and line breaks. Each record carries the line it
 * starts on so that errors can point at it.
 */
final class Csv {

    /** One record and the 1-based line it starts on. */
    record Row(int line, List<String> fields) {
    }

    private Csv() {
    }

    static List<Row> parse(String text, String file) throws ListFormatException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowStart = 1;
        boolean quoted = false;
        boolean wasQuoted = false;
        int quoteLine = 0;
        int n = text.length();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.toString().isBlank() && !wasQuoted) {
                        field.setLength(0);
                        quoted = true;
                        wasQuoted = true;
                        quoteLine = line;
                    } else {
                        throw new ListFormatException(file + " line " + line + ": stray quote inside a field");
                    }
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                }
                case '\r' -> { }
                case '\n' -> {
                    fields.add(field.toString());
                    addRow(rows, rowStart, fields);
                    fields = new ArrayList<>();
                    field.setLength(0);
                    wasQuoted = false;
                    line++;
                    rowStart = line;
                }
                default -> {
                    if (wasQuoted && !Character.isWhitespace(c)) {
                        throw new ListFormatException(file + " line " + line + ": text after a closing quote");
                    }
                    if (!wasQuoted) {
                        field.append(c);
                    }
                }
            }
        }
        if (quoted) {
            throw new ListFormatException(file + " line " + quoteLine + ": quoted field is never closed");
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            addRow(rows, rowStart, fields);
        }
        return rows;
    }

    private static void addRow(List<Row> rows, int line, List<String> fields) {
        // Blank lines and the DOS end-of-file mark (0x1A) some list files end with carry no record.
        if (fields.size() == 1 && fields.get(0).replace("\u001a", "").isBlank()) {
            return;
        }
        rows.add(new Row(line, fields));
    }

    /** OFAC writes "-0-" (often with a trailing space) for an empty field. */
    static String ofac(String v) {
        String s = v.strip();
        return s.equals("-0-") ? "" : s;
    }
}
