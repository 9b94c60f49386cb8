package dev.handoff.sip.internal;

import dev.handoff.sip.WhisperWindow;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** The transfer options chosen on {@code SipTransferExecutor.Builder}, already validated. */
public record TransferSettings(Duration acceptTimeout, Duration notifyTimeout, String ticketParameter, String uuiPurpose,
                               Map<String, String> headers, boolean holdDuringConsult, WhisperWindow whisper) {
    public TransferSettings {
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        Objects.requireNonNull(notifyTimeout, "notifyTimeout");
        Objects.requireNonNull(ticketParameter, "ticketParameter");
        Objects.requireNonNull(uuiPurpose, "uuiPurpose");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(whisper, "whisper");
    }
}
