package org.openkyc.server.document;

/** The three ICAO 9303 machine-readable zone layouts. */
public enum MrzFormat {
    /** ID card: three lines of 30 characters. */
    TD1(3, 30),
    /** Larger ID card or visa: two lines of 36. */
    TD2(2, 36),
    /** Passport booklet: two lines of 44. */
    TD3(2, 44);

    private final int lines;
    private final int length;

    MrzFormat(int lines, int length) {
        this.lines = lines;
        this.length = length;
    }

    public int lines() { return lines; }
    public int length() { return length; }

    /** The format whose shape matches, or null. */
    public static MrzFormat of(int lines, int length) {
        for (MrzFormat f : values()) {
            if (f.lines == lines && f.length == length) {
                return f;
            }
        }
        return null;
    }
}
