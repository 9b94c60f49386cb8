package dev.handoff.sip.internal;

import javax.sip.message.Request;

/** Receives the events of one {@link Leg}, on the leg's serial executor. Must not block. */
public interface LegListener {

    /** A provisional answer to our INVITE. */
    default void provisional(int code, String reason) {
    }

    /** Our INVITE was answered with 2xx and acknowledged. */
    default void established(Leg leg) {
    }

    /** Our INVITE failed with a final non-2xx status (408 when it timed out locally). */
    default void failed(int code, String reason) {
    }

    /** The dialog ended; {@code byRemote} when the other party sent BYE. */
    default void ended(boolean byRemote) {
    }

    /** An in-dialog NOTIFY arrived; it has been answered with 200 already. */
    default void notified(Request notify) {
    }
}
