package dev.handoff.core.hipaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketException;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.FileContextStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HIPAA 45 CFR 164.312(c), integrity and the mechanism to authenticate ePHI: a context is HMAC-signed when packaged
 * and verified at every redemption, so an altered document is refused, never shown; the durable store detects a
 * damaged record and sets it aside instead of returning it.
 *
 * <p>Remains the deployer's duty: real signing keys from a secret store ({@code SigningKeys.of}, rotated; the default
 * key is random per process), backups of the store files, and integrity controls in the systems the context is copied
 * to (the CRM, the EHR).
 */
class IntegritySafeguardTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void an_altered_document_is_refused_and_a_damaged_record_on_disk_is_never_served() throws Exception {
        SigningKeys keys = SigningKeys.of("k1", KEY);
        Path file = dir.resolve("contexts.journal");
        HandoffOutcome outcome;
        try (FileContextStore store = FileContextStore.open(file);
             Handoff handoff = Handoff.builder().signingKeys(keys).contextStore(store).build()) {
            outcome = HipaaFixtures.handOffToAlice(handoff, "hipaa-integrity-1");
            HandoffContext stored = store.get(outcome.contextId()).orElseThrow();

            String altered = ContextJson.get().writeString(stored).replace("123-45-6789", "987-65-4321");
            assertThatThrownBy(() -> handoff.signer().verifyBytes(altered.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(NonRetriableHandoffException.class).hasMessageEndingWith("failed signature verification: it was altered");
        }

        byte[] bytes = Files.readAllBytes(file);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("123-45-6789");
        bytes[at] ^= 0x01; // bit rot inside the stored patient's SSN
        Files.write(file, bytes);
        try (FileContextStore store = FileContextStore.open(file);
             Handoff handoff = Handoff.builder().signingKeys(keys).contextStore(store).build()) {
            assertThat(store.recovery().damaged()).isEqualTo(1);
            assertThat(store.get(outcome.contextId())).isEmpty();
            assertThatThrownBy(() -> handoff.redeem(outcome.ticket(), "alice"))
                    .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.UNKNOWN_CONTEXT));
        }
    }
}
