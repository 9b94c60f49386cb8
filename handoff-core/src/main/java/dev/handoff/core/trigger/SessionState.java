package dev.handoff.core.trigger;

import dev.handoff.api.CustomerData;
import dev.handoff.core.text.Scratch;
import java.util.HashSet;
import java.util.Set;

/**
 * What the engine remembers about one session, whatever policy is chosen for it (the buffers hold enough history
 * for the largest window any policy may use, so the policy can change mid-conversation); guarded by its own
 * monitor.
 */
final class SessionState {

    /** History kept per series: at least the largest window a policy may configure. */
    static final int HISTORY = 64;

    /** A ring of the latest values of one signal, with the current run of low values. */
    static final class Series {
        final double[] values = new double[HISTORY];
        int count;
        int run;

        void add(double v) {
            values[count % HISTORY] = v;
            count++;
        }

        /** The {@code back}-th latest value (0 = latest). */
        double latest(int back) {
            return values[(count - 1 - back) % HISTORY];
        }

        double mean(int k) {
            double sum = 0;
            for (int i = 0; i < k; i++) {
                sum += latest(i);
            }
            return sum / k;
        }
    }

    final Series botConfidence = new Series();
    final Series customerConfidence = new Series();
    final Series sentiments = new Series();
    boolean sentimentEstimated;

    int fallbackRun;

    /** Fingerprints of recent turns (customer and bot), with the index of the turn each came from. */
    static final class Prints {
        /**
         * A row is allocated when first written, as long as its print: a short session does not carry twenty empty
         * rows, nor a short turn {@link Scratch#MAX_PRINT} slots. A slot written again keeps its row when the new
         * print fits in it.
         */
        final long[][] prints = new long[20][];
        final int[] lengths = new int[20];
        final int[] turnIndex = new int[20];
        /** The {@link Scratch#printSig signature} of each print. */
        final long[] sigs = new long[20];
        int count;

        int slot(int back) {
            return (count - 1 - back) % prints.length;
        }

        void add(long[] print, int len, long sig, int turn) {
            int slot = count % prints.length;
            long[] row = prints[slot];
            if (row == null || row.length < len) {
                row = new long[len];
                prints[slot] = row;
            }
            System.arraycopy(print, 0, row, 0, len);
            lengths[slot] = len;
            sigs[slot] = sig;
            turnIndex[slot] = turn;
            count++;
        }
    }

    final Prints customerPrints = new Prints();
    final Prints botPrints = new Prints();
    /** True when the bot's latest turn asked the customer to confirm or repeat something. */
    boolean botAskedToConfirm;
    /** True when the bot's latest turn ended in a question mark. */
    boolean botAskedQuestion;
    /** Turn index of the latest rephrase-loop reason, so one streak of rewordings fires once. */
    int rephraseFiredAt = -1;

    Set<String> intents;
    boolean sessionIntentsFired;
    boolean repeatContactFired;
    boolean durationFired;

    /** The largest deal value (US dollars) the customer has stated in this session; 0 when none. */
    double statedDealUsd;
    /** Per-session policy selection: the customer record and stated deal value it was made for, and its result. */
    CustomerData selectedFor;
    double selectedForDeal = -1;
    CompiledPolicy selected;
    long languages;
    /** Set by the bot through the engine: a policy or a language that overrides selection, or null. */
    String policyOverride;
    String languageOverride;

    Set<String> intents() {
        if (intents == null) {
            intents = new HashSet<>();
        }
        return intents;
    }
}
