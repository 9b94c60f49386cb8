/**
 * The decision rule engine: {@link dev.handoff.core.trigger.RuleTriggerEvaluator} evaluates a
 * {@link dev.handoff.core.trigger.TriggerPolicy} (YAML or JSON, validated, with presets) on every turn;
 * {@link dev.handoff.core.trigger.PhraseMatcher} is the multi-phrase automaton it compiles the policy's phrases into.
 * See the "Trigger policies" section of handoff-core's README.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.trigger;

import org.jspecify.annotations.NullMarked;
