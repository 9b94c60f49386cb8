package dev.handoff.sip.internal;

import dev.handoff.sip.TicketCarriage;
import dev.handoff.sip.TransferCorrelations;
import dev.handoff.sip.WhisperWindow;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** The transfer options chosen on {@code SipTransferExecutor.Builder}, already validated. */
public record TransferSettings(Duration acceptTimeout, Duration notifyTimeout, TicketCarriage carriage,
                               TransferCorrelations correlations, Map<String, String> headers, boolean holdDuringConsult,
                               WhisperWindow whisper) {
    public TransferSettings {
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        Objects.requireNonNull(notifyTimeout, "notifyTimeout");
        Objects.requireNonNull(carriage, "carriage");
        Objects.requireNonNull(correlations, "correlations");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(whisper, "whisper");
    }
}
