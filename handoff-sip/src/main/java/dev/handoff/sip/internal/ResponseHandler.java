package dev.handoff.sip.internal;

import javax.sip.Dialog;
import javax.sip.ClientTransaction;
import javax.sip.message.Response;

/** Handles the answers to one client transaction, on the leg's serial executor. */
public interface ResponseHandler {

    void response(Response response, Dialog dialog);

    /** The transaction timed out (no final answer). */
    void timeout();

    /**
     * The request was sent again in {@code retry} (with credentials after a 401/407, so with a new CSeq); the
     * responses that follow belong to it. Runs on the leg's executor.
     */
    default void retried(ClientTransaction retry) {
    }
}
