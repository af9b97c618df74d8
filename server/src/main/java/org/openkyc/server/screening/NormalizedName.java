package org.openkyc.server.screening;

/** A name's tokens and their phonetic keys, with both joined without spaces. */
public final class NormalizedName {

    final String[] tokens;
    final String[] phonetic;
    final String joined;
    final String joinedPhonetic;
    final String rotated;
    final int letters;

    NormalizedName(String[] tokens, String[] phonetic) {
        this.tokens = tokens;
        this.phonetic = phonetic;
        this.joined = String.join("", tokens);
        this.joinedPhonetic = String.join("", phonetic);
        // Family name first or last: the last token moved to the front.
        if (tokens.length > 1) {
            StringBuilder b = new StringBuilder(tokens[tokens.length - 1]);
            for (int i = 0; i < tokens.length - 1; i++) {
                b.append(tokens[i]);
            }
            this.rotated = b.toString();
        } else {
            this.rotated = joined;
        }
        this.letters = joined.length();
    }

    public boolean isEmpty() {
        return tokens.length == 0;
    }

    /** The tokens joined by spaces, as recorded with a screening. */
    public String text() {
        return String.join(" ", tokens);
    }
}
