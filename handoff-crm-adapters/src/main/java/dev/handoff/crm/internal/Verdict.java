package dev.handoff.crm.internal;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A human's verdict on one commitment, as the vendor adapters write it back ({@code CrmAdapter.pushVerdict}): which
 * commitment, under which keys, and the words a CRM record shows. The text names the commitment by kind, promised value
 * and turn and never repeats the AI's words (they are transcript text); a correction carries its corrected value as the
 * human gave it.
 *
 * @param commitment the commitment as verified (status CONFIRMED, CORRECTED or REVOKED)
 * @param contextId  the handoff's context id
 * @param pushKey    the key the handoff's own push used (the verdict key up to {@value #MARK}); the commitment's object
 *                   was filed under {@code pushKey + ":" + commitment id}
 * @param verdictKey the verdict's idempotency key, the same on every retry of this verdict
 */
public record Verdict(Commitment commitment, String contextId, String pushKey, String verdictKey) {

    /** What separates the push's key from the rest of a verdict key ({@code dev.handoff.core.store.OutboxEntry#verdictKey}). */
    public static final String MARK = ":verdict:";

    public Verdict {
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(pushKey, "pushKey");
        Objects.requireNonNull(verdictKey, "verdictKey");
    }

    /**
     * Reads the verdict out of what {@code pushVerdict} receives.
     *
     * @throws NonRetriableHandoffException naming the system when the context has no such commitment, the commitment
     *                                      carries no verdict, or the key is not a verdict key: a retry cannot fix any
     */
    public static Verdict of(String system, HandoffContext context, String commitmentId, String idempotencyKey) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(commitmentId, "commitmentId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Commitment k = context.commitments().stream().filter(c -> c.id().equals(commitmentId)).findFirst()
                .orElseThrow(() -> new NonRetriableHandoffException(system + " verdict: context " + context.contextId()
                        + " has no commitment " + ContextText.cut(commitmentId.replaceAll("\\p{Cntrl}", ""), 64)));
        if (k.status() == Commitment.Status.PENDING_VERIFICATION) {
            throw new NonRetriableHandoffException(system + " verdict: commitment " + k.id() + " of context " + context.contextId()
                    + " has no verdict; expected CONFIRMED, CORRECTED or REVOKED");
        }
        int mark = idempotencyKey.indexOf(MARK);
        if (mark <= 0) {
            throw new NonRetriableHandoffException(system + " verdict on commitment " + k.id() + " of context " + context.contextId()
                    + ": the idempotency key is not a verdict key; expected <push key>" + MARK + "<commitment>:<STATUS>");
        }
        return new Verdict(k, context.contextId(), idempotencyKey.substring(0, mark), idempotencyKey);
    }

    /** The key the commitment's own object (task, task ticket) was filed under by the handoff's push. */
    public String commitmentKey() {
        return pushKey + ":" + commitment.id();
    }

    /** {@code confirmed}, {@code corrected} or {@code revoked}. */
    public String status() {
        return commitment.status().name().toLowerCase(Locale.ROOT);
    }

    /** One token (letters and digits only) that stands for this verdict's key in a CRM's search: {@code handoffverdict<16 hex>}. */
    public String token() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verdictKey.getBytes(StandardCharsets.UTF_8));
            return "handoffverdict" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code AI commitment CORRECTED: DISCOUNT 15% -> a $5 credit}, cut to {@code max} characters. */
    public String subject(int max) {
        return ContextText.cut("AI commitment " + commitment.status() + ": " + promise()
                + (commitment.status() == Commitment.Status.CORRECTED && commitment.correctedValue() != null
                ? " -> " + commitment.correctedValue() : ""), max);
    }

    /**
     * The record's text, one fact a line: the verdict (with the corrected value), who gave it and when, the commitment
     * (kind, strength, promised value, turn) and the context and key it belongs to.
     */
    public String text() {
        Commitment k = commitment;
        String verdict = switch (k.status()) {
            case CONFIRMED -> "CONFIRMED: it stands as promised";
            case CORRECTED -> "CORRECTED to " + (k.correctedValue() == null ? "(no value given)" : "\"" + k.correctedValue() + "\"");
            case REVOKED -> "REVOKED: it was withdrawn";
            case PENDING_VERIFICATION -> throw new IllegalStateException("a verdict is never pending");
        };
        return "Verdict on AI commitment " + k.id() + ": " + verdict + "\n"
                + "By " + (k.verifiedBy() == null ? "an agent" : k.verifiedBy()) + (k.verifiedAt() == null ? "" : " at " + k.verifiedAt())
                + "\n"
                + "Commitment: " + k.strength() + " " + promise() + " (turn " + k.turnIndex() + ")\n"
                + "Context " + contextId + ", verdict key " + verdictKey + "\n";
    }

    private String promise() {
        return commitment.kind() + (commitment.value() == null ? "" : " " + commitment.value());
    }
}
