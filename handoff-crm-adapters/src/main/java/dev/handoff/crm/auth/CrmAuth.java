package dev.handoff.crm.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Supplies the credential for each CRM request: none, a static bearer token, an API key header, HTTP Basic,
 * or OAuth2 ({@link OAuth2TokenSource}).
 *
 * <p>Called by {@link dev.handoff.crm.transport.CrmHttpClient} on the worker thread that sends the request,
 * from many threads at once. Implementations must be thread-safe and must never log the credential.
 */
public interface CrmAuth {

    /**
     * The header to attach to the next request, or empty for none. May block to fetch a token.
     *
     * @throws dev.handoff.api.RetriableHandoffException    when a token endpoint is unreachable or failing
     * @throws dev.handoff.api.NonRetriableHandoffException when a token endpoint refuses the client's credentials
     */
    Optional<AuthHeader> header();

    /**
     * Called once after the CRM answered 401 to a request that carried {@code refused}. An implementation that
     * can obtain a new credential does so (unless another thread already did) and returns true, and the request
     * is repeated once; a second 401 is final. Static credentials return false: the 401 is final at once.
     */
    default boolean refreshAfterUnauthorized(AuthHeader refused) {
        return false;
    }

    /** No credential (a webhook receiver that relies on the signature alone). */
    static CrmAuth none() {
        return Optional::empty;
    }

    /** {@code Authorization: Bearer <token>} with a token that never changes (HubSpot private app tokens). */
    static CrmAuth bearer(String token) {
        requireSecret(token, "token");
        AuthHeader header = new AuthHeader("Authorization", "Bearer " + token);
        return () -> Optional.of(header);
    }

    /** An API key in a header of the vendor's choosing ({@code X-Api-Key: ...}). */
    static CrmAuth apiKey(String headerName, String key) {
        Objects.requireNonNull(headerName, "headerName");
        requireSecret(key, "key");
        AuthHeader header = new AuthHeader(headerName, key);
        return () -> Optional.of(header);
    }

    /**
     * HTTP Basic. For Zendesk API tokens use {@code basic(agentEmail + "/token", apiToken)}.
     */
    static CrmAuth basic(String user, String password) {
        Objects.requireNonNull(user, "user");
        requireSecret(password, "password");
        String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        AuthHeader header = new AuthHeader("Authorization", "Basic " + encoded);
        return () -> Optional.of(header);
    }

    private static void requireSecret(String secret, String name) {
        Objects.requireNonNull(secret, name);
        if (secret.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
