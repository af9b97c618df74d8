package org.openkyc.server.screening;

/**
 * A name's tokens, their phonetic keys and consonant skeletons, which tokens
 * are particles (al-, bin, van, de ...), whether it was written in Arabic
 * script, and the tokens joined without spaces.
 */
public final class NormalizedName {

    final String[] tokens;
    final String[] phonetic;
    final String[] skeleton;
    /** The phonetic keys with each run of vowels as one 'V' (Hasan hVsVn, Husseini hVsVnV). */
    final String[] vowelSlots;
    final boolean[] particle;
    final boolean arabic;
    final String joined;
    final String joinedPhonetic;
    final String rotated;
    /** The skeletons of the tokens other than particles, joined (Nasr Allah and Nasrallah alike). */
    final String joinedSkeleton;
    final String rotatedSkeleton;
    final int letters;

    NormalizedName(String[] tokens, String[] phonetic, String[] skeleton, boolean[] particle, boolean arabic) {
        this.tokens = tokens;
        this.phonetic = phonetic;
        this.skeleton = skeleton;
        this.vowelSlots = new String[phonetic.length];
        for (int i = 0; i < phonetic.length; i++) {
            StringBuilder v = new StringBuilder(phonetic[i].length());
            for (int k = 0; k < phonetic[i].length(); k++) {
                char ch = phonetic[i].charAt(k);
                boolean vowel = ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u';
                char put = vowel ? 'V' : ch;
                if (v.length() == 0 || v.charAt(v.length() - 1) != put) {
                    v.append(put);
                }
            }
            vowelSlots[i] = v.toString();
        }
        this.particle = particle;
        this.arabic = arabic;
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
        java.util.List<String> kept = new java.util.ArrayList<>(skeleton.length);
        for (int i = 0; i < skeleton.length; i++) {
            if (!particle[i] && !skeleton[i].isEmpty()) {
                kept.add(skeleton[i]);
            }
        }
        this.joinedSkeleton = collapsed(kept);
        if (kept.size() > 1) {
            kept.add(0, kept.remove(kept.size() - 1));
        }
        this.rotatedSkeleton = collapsed(kept);
        this.letters = joined.length();
    }

    /** Skeletons joined, a repeat across tokens collapsed too: Nasr Allah -> nsr + r -> nsr, as Nasrallah. */
    private static String collapsed(java.util.List<String> parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            for (int i = 0; i < p.length(); i++) {
                if (b.length() == 0 || b.charAt(b.length() - 1) != p.charAt(i)) {
                    b.append(p.charAt(i));
                }
            }
        }
        return b.toString();
    }

    public boolean isEmpty() {
        return tokens.length == 0;
    }

    /** The tokens joined by spaces, as recorded with a screening. */
    public String text() {
        return String.join(" ", tokens);
    }
}
