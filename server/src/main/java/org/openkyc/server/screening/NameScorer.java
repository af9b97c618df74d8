package org.openkyc.server.screening;

import java.util.Set;

/**
 * Token-order-independent fuzzy name similarity. Tokens of the two names are
 * paired one to one, best Jaro-Winkler first (pairs under
 * {@link #PAIR_MIN} stay unpaired); the score is the length-weighted mean
 * similarity of the pairs, less a penalty for each token left unpaired (a
 * listed token the query lacks costs less than a query token the list lacks;
 * particles and initials cost little). This runs on the spelled tokens and
 * on their phonetic keys; the tokens joined without spaces are compared too,
 * for names written as one word (Hangul names, "Jinping" / "Jin Ping"). The
 * best of these, phonetic and joined forms slightly discounted, is the score.
 */
final class NameScorer {

    static final double PHONETIC_FACTOR = 0.96;
    static final double JOINED_FACTOR = 0.96;
    static final double JOINED_PHONETIC_FACTOR = 0.95;
    static final double PAIR_MIN = 0.75;
    static final double UNPAIRED_LISTED = 0.06;
    static final double UNPAIRED_QUERY = 0.15;
    static final double UNPAIRED_MINOR = 0.02;
    static final Set<String> PARTICLES = Set.of("al", "el", "bin", "ibn", "bint", "abu", "abd", "de", "da", "del",
            "della", "di", "dos", "das", "du", "la", "le", "van", "von", "der", "den", "ben", "y", "e", "ul", "ud");

    /** The similarity and which comparison produced it. */
    record Result(double value, String method) {
    }

    private NameScorer() {
    }

    static Result score(NormalizedName q, NormalizedName c) {
        if (q.isEmpty() || c.isEmpty()) {
            return new Result(0, "empty");
        }
        double tokens = paired(q.tokens, c.tokens);
        Result best = new Result(tokens, "tokens");
        if (tokens >= 0.999) {
            return best;
        }
        double phon = PHONETIC_FACTOR * paired(q.phonetic, c.phonetic);
        if (phon > best.value) {
            best = new Result(phon, "phonetic tokens");
        }
        int lq = q.letters;
        int lc = c.letters;
        if (q.tokens.length != c.tokens.length && Math.abs(lq - lc) <= Math.max(lq, lc) / 5) {
            double joined = JOINED_FACTOR * Math.max(JaroWinkler.similarity(q.joined, c.joined),
                    JaroWinkler.similarity(q.rotated, c.joined));
            if (joined > best.value) {
                best = new Result(joined, "joined");
            }
            double joinedPhon = JOINED_PHONETIC_FACTOR * JaroWinkler.similarity(q.joinedPhonetic, c.joinedPhonetic);
            if (joinedPhon > best.value) {
                best = new Result(joinedPhon, "joined phonetic");
            }
        }
        return best;
    }

    /** q: the query's tokens, c: the listed name's tokens. */
    static double paired(String[] q, String[] c) {
        int n = q.length;
        int m = c.length;
        double[] sim = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                sim[i * m + j] = JaroWinkler.similarity(q[i], c[j]);
            }
        }
        boolean[] usedQ = new boolean[n];
        boolean[] usedC = new boolean[m];
        double weighted = 0;
        double weights = 0;
        int pairs = Math.min(n, m);
        for (int p = 0; p < pairs; p++) {
            int bi = -1;
            int bj = -1;
            double bs = PAIR_MIN;
            for (int i = 0; i < n; i++) {
                if (usedQ[i]) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    if (!usedC[j] && sim[i * m + j] >= bs) {
                        bs = sim[i * m + j];
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) {
                break;
            }
            usedQ[bi] = true;
            usedC[bj] = true;
            double w = q[bi].length() + c[bj].length();
            weighted += bs * w;
            weights += w;
        }
        if (weights == 0) {
            return 0;
        }
        double score = weighted / weights;
        for (int i = 0; i < n; i++) {
            if (!usedQ[i]) {
                score -= minor(q[i]) ? UNPAIRED_MINOR : UNPAIRED_QUERY;
            }
        }
        for (int j = 0; j < m; j++) {
            if (!usedC[j]) {
                score -= minor(c[j]) ? UNPAIRED_MINOR : UNPAIRED_LISTED;
            }
        }
        return Math.max(0, score);
    }

    private static boolean minor(String token) {
        return token.length() <= 1 || PARTICLES.contains(token);
    }
}
