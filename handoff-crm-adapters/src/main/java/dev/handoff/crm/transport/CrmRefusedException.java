package dev.handoff.crm.transport;

import dev.handoff.api.NonRetriableHandoffException;

/**
 * The CRM answered with a status that retrying cannot fix (400, 403, 404, 422, or 401 after a refresh).
 * The message names the system, method, path, status and the start of the CRM's error body.
 */
public class CrmRefusedException extends NonRetriableHandoffException {

    private final int status;

    public CrmRefusedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
