package dev.handoff.eval;

/**
 * One kind of evaluation over a {@link Corpus}: it reads its own label from each case ({@link #labelName()}) and
 * ignores the others, so a corpus can carry labels for several evaluations side by side. {@link TriggerEvaluation}
 * scores the trigger engine; an observer evaluation (BANT and whisper field accuracy) reads an {@code "observer"}
 * label the same way.
 *
 * @param <S> what is evaluated (a trigger engine, a summarizer)
 * @param <R> the report
 */
public interface Evaluation<S, R> {

    /** The key of this evaluation's labels in a case's {@code labels} object ({@code "trigger"}). */
    String labelName();

    /**
     * Replays every case that applies to {@code policyName} and has this evaluation's label.
     *
     * @throws IllegalArgumentException naming the case when a label cannot be read
     */
    R run(Corpus corpus, String policyName, S subject);
}
