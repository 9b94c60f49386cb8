/**
 * Packaging, signing and redeeming the {@code handoff.context/v1} document: the default packager and summarizer, the
 * commitment ledger and detector, redaction by compliance profile, the signer with rotating keys, and the short
 * signed tickets that stand for a stored context in SIP headers, CRM notes and the agent desktop.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.context;

import org.jspecify.annotations.NullMarked;
