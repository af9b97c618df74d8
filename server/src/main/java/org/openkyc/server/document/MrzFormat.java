package org.openkyc.server.document;

/**
 * The ICAO 9303 machine-readable zone layouts: travel documents (parts 4-6) and machine-readable
 * visas (part 7). A visa has the shape of a TD3 or TD2 zone but its document code starts with V,
 * its optional data run to the end of the second line and it carries no composite check digit.
 */
public enum MrzFormat {
    /** ID card: three lines of 30 characters. */
    TD1(3, 30),
    /** Larger ID card: two lines of 36. */
    TD2(2, 36),
    /** Passport booklet: two lines of 44. */
    TD3(2, 44),
    /** Full-page visa (MRV-A): two lines of 44, document code V. */
    MRV_A(2, 44),
    /** Smaller visa (MRV-B): two lines of 36, document code V. */
    MRV_B(2, 36);

    private final int lines;
    private final int length;

    MrzFormat(int lines, int length) {
        this.lines = lines;
        this.length = length;
    }

    public int lines() { return lines; }
    public int length() { return length; }

    /** True for the two visa layouts. */
    public boolean visa() {
        return this == MRV_A || this == MRV_B;
    }

    /** The travel-document format whose shape matches (TD1, TD2 or TD3), or null. */
    public static MrzFormat of(int lines, int length) {
        for (MrzFormat f : values()) {
            if (f.lines == lines && f.length == length) {
                return f;
            }
        }
        return null;
    }
}
