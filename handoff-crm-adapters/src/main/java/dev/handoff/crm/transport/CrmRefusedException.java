package dev.handoff.crm.transport;

import dev.handoff.api.NonRetriableHandoffException;

/**
 * The CRM answered with a status that retrying cannot fix (400, 403, 404, 422, or 401 after a refresh).
 * The message names the system, method, path, status and, when the CRM's error answer has one, its error code
 * (a plain token such as {@code VALIDATION_ERROR}). Never the error body: it may echo the request.
 */
public class CrmRefusedException extends NonRetriableHandoffException {

    private final int status;
    private final String errorCode;

    public CrmRefusedException(String message, int status) {
        this(message, status, null);
    }

    /** @param errorCode nullable; the CRM's error code, a plain token */
    public CrmRefusedException(String message, int status, String errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The CRM's error code ({@code VALIDATION_ERROR}, {@code REQUIRED_FIELD_MISSING}), when it sent one. */
    public java.util.Optional<String> errorCode() {
        return java.util.Optional.ofNullable(errorCode);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
