package dev.handoff.api.spi;

/** Receives protocol progress from a {@link TransferExecutor}, on the executor's thread. Must not block. */
@FunctionalInterface
public interface TransferListener {

    /** Ignores all progress. */
    TransferListener NONE = (code, detail) -> { };

    /**
     * One step of protocol progress.
     *
     * @param code   a protocol status (SIP 202 Accepted, 100/180/200 from sipfrag; 0 for non-SIP steps)
     * @param detail human-readable text
     */
    void progress(int code, String detail);
}
