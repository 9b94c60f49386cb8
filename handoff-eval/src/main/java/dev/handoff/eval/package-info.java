/**
 * Replay and evaluation of labelled conversations: {@link dev.handoff.eval.Corpus} (JSONL),
 * {@link dev.handoff.eval.TriggerEvaluation} (precision, recall and F1 per trigger kind, confusion, turns to
 * handoff, per-case diff), {@link dev.handoff.eval.TriggerReport#compare} (policies side by side) and the
 * {@link dev.handoff.eval.EvalCli} command. Further evaluations (observer field accuracy) implement
 * {@link dev.handoff.eval.Evaluation} and read their own label from the same cases.
 */
package dev.handoff.eval;
