package dev.handoff.crm.transport;

import java.util.Objects;

/**
 * A successful (2xx) CRM answer.
 *
 * @param code     the HTTP status
 * @param body     the body as text (empty when none)
 * @param attempts how many attempts it took, including the first
 */
public record CrmResponse(int code, String body, int attempts) {

    public CrmResponse {
        Objects.requireNonNull(body, "body");
    }
}
