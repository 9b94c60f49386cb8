/**
 * An optional observer backed by any OpenAI-compatible chat-completions endpoint
 * ({@link dev.handoff.core.context.llm.OpenAiCompatibleSummarizer}). It needs OkHttp on the class path: handoff-core
 * declares {@code com.squareup.okhttp3:okhttp} as an optional dependency, so add it to your own build to use this
 * package. Every failure falls back to the deterministic summarizer.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.context.llm;

import org.jspecify.annotations.NullMarked;
