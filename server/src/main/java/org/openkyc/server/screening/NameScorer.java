package org.openkyc.server.screening;

import java.util.Locale;

/**
 * Token-order-independent fuzzy name similarity with coverage. Tokens of the
 * two names are paired one to one, best Jaro-Winkler first (pairs under
 * {@link #PAIR_MIN} stay unpaired). The similarity is the length-weighted mean
 * of the pairs. Coverage is the share of each name's weight that the pairs
 * account for, each token weighted by how rare it is in the loaded lists
 * (common given names count less, particles not at all); the weight left
 * uncovered on the listed side and on the query side is taken off. This runs
 * on the spelled tokens, their phonetic keys, their vowel slots (each run of
 * vowels one slot, for romanisations that disagree on vowels only) and, for a
 * query written in Arabic script, on consonant skeletons; the tokens joined without spaces are
 * compared too, for names written as one word (Hangul names, "Jinping" /
 * "Jin Ping", Nasrallah / Nasr Allah). The best of these, phonetic, skeleton
 * and joined forms discounted, is the score.
 */
final class NameScorer {

    static final double PHONETIC_FACTOR = 0.96;
    static final double SKELETON_FACTOR = 0.94;
    /**
     * Names compared with each run of vowels as one slot (Khalidi / Khelidi,
     * Amri / Emri, Humberto / Homberto: romanisations that disagree on the
     * vowels only); tokens of fewer than three consonants keep their vowels.
     */
    static final double VOWEL_SLOT_FACTOR = 0.95;
    static final int VOWEL_SLOT_MIN_CONSONANTS = 3;
    static final double JOINED_FACTOR = 0.96;
    static final double JOINED_PHONETIC_FACTOR = 0.95;
    static final double JOINED_SKELETON_FACTOR = 0.93;
    static final int JOINED_SKELETON_MIN = 5;
    /**
     * Skeletons say less the more common the query's names are: the skeleton
     * factor falls by this much times what the query's token weights fall
     * short of 1 (محمد علي: Mohammed and Ali, or Meddie Lee?).
     */
    static final double SKELETON_COMMON_DISCOUNT = 0.25;
    /** A skeleton of one consonant pairs only when the phonetic keys are at least this similar. */
    static final double SHORT_SKELETON_PHONETIC_MIN = 0.80;
    /** Joined forms are compared only from this Jaro-Winkler similarity up (else any two long names look alike). */
    static final double JOINED_MIN = 0.90;
    static final double PAIR_MIN = 0.75;
    /** A pair at or above this similarity covers its tokens fully; from PAIR_MIN up, in part. */
    static final double FULL_CREDIT = 0.88;
    /** Taken off for the whole weight of the listed name left uncovered. */
    static final double UNCOVERED_LISTED = 0.18;
    /** Taken off for the whole weight of the query left uncovered. */
    static final double UNCOVERED_QUERY = 0.45;

    /**
     * The name score and how it came about: the comparison, the similarity
     * of the paired tokens (discounted for the comparison), the coverage of
     * each side, the penalty for what is uncovered, how many significant
     * tokens (not particles) each side has and how many are covered, the
     * largest weight among the query's significant tokens, and a readable
     * account of the tokens and their weights.
     */
    record Result(double value, String method, double similarity, double listedCoverage, double queryCoverage,
            double penalty, int listedTokens, int listedCovered, int queryTokens, int queryCovered,
            double queryMaxWeight, boolean wholeName, String account, double closeQueryWeight,
            double closeListedCoverage) {
    }

    /** A pair at or above this similarity is close: the evidence a review needs is counted on close pairs only. */
    static final double CLOSE_PAIR = 0.92;

    private NameScorer() {
    }

    static Result score(NormalizedName q, double[] qw, NormalizedName c, double[] cw) {
        if (q.isEmpty() || c.isEmpty()) {
            return new Result(0, "empty", 0, 0, 0, 0, 0, 0, 0, 0, 0, false, "", 0, 0);
        }
        Result best = paired(q, qw, c, cw, q.tokens, c.tokens, 1.0, "tokens");
        if (best.value >= 0.999) {
            return best;
        }
        Result phon = paired(q, qw, c, cw, q.phonetic, c.phonetic, PHONETIC_FACTOR, "phonetic tokens");
        if (phon.value > best.value) {
            best = phon;
        }
        if (!q.arabic && !c.arabic) {
            Result slots = paired(q, qw, c, cw, q.vowelSlots, c.vowelSlots, VOWEL_SLOT_FACTOR, "vowel slots");
            if (slots.value > best.value) {
                best = slots;
            }
        }
        if (q.arabic && !c.arabic) {
            double weight = 0;
            for (int i = 0; i < qw.length; i++) {
                weight += qw[i];
            }
            double factor = SKELETON_FACTOR - SKELETON_COMMON_DISCOUNT * Math.max(0, 1 - weight);
            Result skel = paired(q, qw, c, cw, q.skeleton, c.skeleton, factor, "consonant skeletons");
            if (skel.value > best.value) {
                best = skel;
            }
            int lq = q.joinedSkeleton.length();
            int lc = c.joinedSkeleton.length();
            if (significant(q) != significant(c) && Math.min(lq, lc) >= JOINED_SKELETON_MIN
                    && Math.abs(lq - lc) <= 1) {
                // Only for names split differently (Nasr Allah / Nasrallah): else tokens are paired.
                double j = Math.max(JaroWinkler.similarity(q.joinedSkeleton, c.joinedSkeleton),
                        JaroWinkler.similarity(q.joinedSkeleton, c.rotatedSkeleton));
                j = j >= JOINED_MIN ? j * (factor - SKELETON_FACTOR + JOINED_SKELETON_FACTOR) : 0;
                if (j > best.value) {
                    best = whole(j, "joined consonant skeletons", q, qw, c);
                }
            }
        }
        int lq = q.letters;
        int lc = c.letters;
        if (q.tokens.length != c.tokens.length && Math.abs(lq - lc) <= Math.max(lq, lc) / 5) {
            double joined = Math.max(JaroWinkler.similarity(q.joined, c.joined),
                    JaroWinkler.similarity(q.rotated, c.joined));
            joined = joined >= JOINED_MIN ? JOINED_FACTOR * joined : 0;
            if (joined > best.value) {
                best = whole(joined, "joined", q, qw, c);
            }
            double joinedPhon = JaroWinkler.similarity(q.joinedPhonetic, c.joinedPhonetic);
            joinedPhon = joinedPhon >= JOINED_MIN ? JOINED_PHONETIC_FACTOR * joinedPhon : 0;
            if (joinedPhon > best.value) {
                best = whole(joinedPhon, "joined phonetic", q, qw, c);
            }
        }
        return best;
    }

    /** A comparison of the names as wholes (no token left out on either side). */
    private static Result whole(double value, String method, NormalizedName q, double[] qw, NormalizedName c) {
        int ql = significant(q);
        int cl = significant(c);
        double w = 0;
        for (int i = 0; i < qw.length; i++) {
            w += qw[i];
        }
        return new Result(value, method, value, 1, 1, 0, cl, cl, ql, ql, 1, true,
                "whole names compared: '" + q.joined + "' / '" + c.joined + "'", value >= CLOSE_PAIR ? w : 0,
                value >= CLOSE_PAIR ? 1 : 0);
    }

    static int significant(NormalizedName n) {
        int s = 0;
        for (int i = 0; i < n.tokens.length; i++) {
            if (!n.particle[i]) {
                s++;
            }
        }
        return s;
    }

    /** q, c: the query's and the listed name's tokens in one of their forms (spelled, phonetic, skeleton). */
    static Result paired(NormalizedName qn, double[] qw, NormalizedName cn, double[] cw, String[] q, String[] c,
            double factor, String method) {
        int n = q.length;
        int m = c.length;
        double[] sim = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double v = q[i].isEmpty() || c[j].isEmpty() ? 0 : JaroWinkler.similarity(q[i], c[j]);
                if (q == qn.vowelSlots && (qn.skeleton[i].length() < VOWEL_SLOT_MIN_CONSONANTS
                        || cn.skeleton[j].length() < VOWEL_SLOT_MIN_CONSONANTS)) {
                    // Short names differ by their vowels (Ali, Ola, Eli): there the vowels count.
                    v = qn.phonetic[i].isEmpty() || cn.phonetic[j].isEmpty() ? 0
                            : JaroWinkler.similarity(qn.phonetic[i], cn.phonetic[j]);
                }
                if (v > 0 && q == qn.skeleton && (q[i].length() < 2 || c[j].length() < 2)
                        && JaroWinkler.similarity(qn.phonetic[i], cn.phonetic[j]) < SHORT_SKELETON_PHONETIC_MIN) {
                    // One consonant says too little (Ali, Rawi, Lee): the phonetic keys must agree as well.
                    v = 0;
                }
                if (v > 0 && q == qn.skeleton && !subsequence(qn.vowelSlots[i], cn.vowelSlots[j])) {
                    // Arabic script writes its long vowels: where it has one (الحسيني, Husseini) the Latin
                    // name must have a vowel too (not Hassan).
                    v = 0;
                }
                sim[i * m + j] = v;
            }
        }
        double[] creditQ = new double[n];
        double[] creditC = new double[m];
        boolean[] closeQ = new boolean[n];
        boolean[] closeC = new boolean[m];
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
                    if (!usedC[j] && sim[i * m + j] >= bs
                            && (bi < 0 || sim[i * m + j] > bs || qn.particle[bi] && !qn.particle[i])) {
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
            double credit = Math.min(1, (bs - PAIR_MIN) / (FULL_CREDIT - PAIR_MIN));
            creditQ[bi] = credit;
            creditC[bj] = credit;
            // Evidence for a review is a pair close as spelled or as pronounced, not only once vowels are set aside.
            boolean close = q == qn.vowelSlots ? JaroWinkler.similarity(qn.phonetic[bi], cn.phonetic[bj]) >= CLOSE_PAIR
                    : bs >= CLOSE_PAIR;
            closeQ[bi] = close;
            closeC[bj] = close;
            double w = q[bi].length() + c[bj].length();
            weighted += bs * w;
            weights += w;
        }
        if (weights == 0) {
            return new Result(0, method, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, "", 0, 0);
        }
        double similarity = factor * weighted / weights;
        double coveredQ = 0;
        double totalQ = 0;
        double closeWeightQ = 0;
        int queryTokens = 0;
        int queryCovered = 0;
        double queryMax = 0;
        for (int i = 0; i < n; i++) {
            if (qn.particle[i]) {
                continue;
            }
            totalQ += qw[i];
            coveredQ += qw[i] * creditQ[i];
            closeWeightQ += closeQ[i] ? qw[i] : 0;
            queryTokens++;
            queryCovered += creditQ[i] >= 0.5 ? 1 : 0;
            queryMax = Math.max(queryMax, qw[i]);
        }
        double coveredC = 0;
        double totalC = 0;
        double closeWeightC = 0;
        int listedTokens = 0;
        int listedCovered = 0;
        for (int j = 0; j < m; j++) {
            if (cn.particle[j]) {
                continue;
            }
            totalC += cw[j];
            coveredC += cw[j] * creditC[j];
            closeWeightC += closeC[j] ? cw[j] : 0;
            listedTokens++;
            listedCovered += creditC[j] >= 0.5 ? 1 : 0;
        }
        double covQ = totalQ == 0 ? 1 : coveredQ / totalQ;
        double covC = totalC == 0 ? 1 : coveredC / totalC;
        double penalty = UNCOVERED_LISTED * (1 - covC) + UNCOVERED_QUERY * (1 - covQ);
        double value = Math.max(0, similarity - penalty);
        StringBuilder a = new StringBuilder("listed");
        account(a, cn, c, cw, creditC);
        a.append("; query");
        account(a, qn, q, qw, creditQ);
        return new Result(value, method, similarity, covC, covQ, penalty, listedTokens, listedCovered, queryTokens,
                queryCovered, queryMax, false, a.toString(), closeWeightQ, totalC == 0 ? 1 : closeWeightC / totalC);
    }

    /** Whether every character of {@code a} occurs in {@code b} in the same order. */
    static boolean subsequence(String a, String b) {
        int k = 0;
        for (int i = 0; i < b.length() && k < a.length(); i++) {
            if (a.charAt(k) == b.charAt(i)) {
                k++;
            }
        }
        return k == a.length();
    }

    /** " ivan 0.62 covered, sarac 1.00 uncovered, al particle". */
    private static void account(StringBuilder a, NormalizedName n, String[] forms, double[] w, double[] credit) {
        for (int i = 0; i < forms.length; i++) {
            a.append(i == 0 ? " " : ", ").append(n.tokens[i]);
            if (n.particle[i]) {
                a.append(" particle");
            } else {
                a.append(String.format(Locale.ROOT, " %.2f %s", w[i], credit[i] >= 0.999 ? "covered"
                        : credit[i] > 0 ? String.format(Locale.ROOT, "%.0f%% covered", 100 * credit[i]) : "uncovered"));
            }
        }
    }
}
