/**
 * In-process chat handoff: {@link dev.handoff.core.chat.ChatQueues} is the transfer executor that offers a chat to
 * the agents waiting on a named {@link dev.handoff.core.chat.AgentQueue}; an agent takes or declines each
 * {@link dev.handoff.core.chat.Offer}.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.chat;

import org.jspecify.annotations.NullMarked;
