package dev.handoff.api.context;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * The signature block. The signature covers the document serialised without this block, and the algorithm, key id,
 * signing time and expiry of this block: none of them can be changed without breaking it.
 *
 * @param algorithm {@code "HMAC-SHA256"}
 * @param keyId     which key signed it (keys rotate)
 * @param signature base64url signature
 * @param signedAt  when it was signed
 * @param expiresAt after this instant the document no longer verifies
 */
public record Integrity(@NotBlank String algorithm, @NotBlank String keyId, @NotBlank String signature,
                        @NotNull Instant signedAt, @NotNull Instant expiresAt) {
}
