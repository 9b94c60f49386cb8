package dev.handoff.sip.internal;

import javax.sip.Dialog;
import javax.sip.message.Response;

/** Handles the answers to one client transaction, on the leg's serial executor. */
public interface ResponseHandler {

    void response(Response response, Dialog dialog);

    /** The transaction timed out (no final answer). */
    void timeout();
}
