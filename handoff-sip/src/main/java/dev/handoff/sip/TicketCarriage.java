package dev.handoff.sip;

import dev.handoff.sip.internal.SipCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the context ticket travels with a SIP transfer, and how the agent's side reads it back.
 *
 * <p>The bot (through {@link SipTransferExecutor}) puts the ticket in every enabled {@link TicketCarrier}; the
 * agent's side calls {@link #read(IncomingInvite)} on the INVITE that reached the agent, which tries the carriers
 * in the configured order and returns the first that survived. When none did (an SBC stripped the headers, a
 * registrar rewrote the URI and the phone dropped the To parameter), {@link TransferCorrelations#redeem} still
 * finds the ticket by the caller's identity or the consult call.
 *
 * <pre>{@code
 * TicketCarriage carriage = TicketCarriage.builder()
 *         .carriers(TicketCarrier.USER_TO_USER, TicketCarrier.TO_URI_PARAMETER)
 *         .uuiPurpose("isdn-uui")
 *         .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 *
 * @param carriers    the carriers in the order they are read back; may be empty (then only correlation works)
 * @param uuiPurpose  the {@code purpose} parameter of User-to-User
 * @param uuiEncoding how the ticket is written into User-to-User
 * @param headerName  the {@code X-} header of {@link TicketCarrier#X_HEADER}
 * @param parameter   the URI parameter of {@link TicketCarrier#TO_URI_PARAMETER} and {@link TicketCarrier#REFERRED_BY}
 */
public record TicketCarriage(List<TicketCarrier> carriers, String uuiPurpose, UuiEncoding uuiEncoding, String headerName,
                             String parameter) {

    /** Default order: User-to-User, X- header, To-URI parameter, Referred-By. */
    public static final List<TicketCarrier> DEFAULT_CARRIERS = List.of(TicketCarrier.values());
    /** Default {@code purpose} of User-to-User: {@code isdn-uui}, the RFC 7434 package that gateways and contact-centre platforms expect. */
    public static final String DEFAULT_UUI_PURPOSE = "isdn-uui";
    /** Default X- header: {@code X-Handoff-Ticket}. */
    public static final String DEFAULT_HEADER_NAME = "X-Handoff-Ticket";
    /** Default URI parameter: {@code x-handoff}. */
    public static final String DEFAULT_PARAMETER = "x-handoff";

    private static final Pattern PARAMETER_VALUE = Pattern.compile("[;]([A-Za-z0-9.!%*_+`'~\\-]+)=([^;?>&\\s]*)");

    /** How the ticket is written into the User-to-User header. */
    public enum UuiEncoding {
        /** {@code <lower-case hex of the UTF-8 ticket>;encoding=hex} (RFC 7433 section 4.1). */
        HEX,
        /** The ticket as is, without an {@code encoding} parameter; only for tickets that are SIP tokens. */
        NONE
    }

    public TicketCarriage {
        carriers = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(carriers, "carriers")));
        token(uuiPurpose, "uuiPurpose");
        Objects.requireNonNull(uuiEncoding, "uuiEncoding");
        token(headerName, "headerName");
        token(parameter, "parameter");
        if (!headerName.regionMatches(true, 0, "X-", 0, 2)) {
            throw new IllegalArgumentException("headerName must start with X-, was \"" + headerName + "\"");
        }
    }

    /** The defaults stated on {@link Builder}. */
    public static TicketCarriage defaults() {
        return builder().build();
    }

    /**
     * A builder with the defaults stated on {@link Builder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the ticket goes into {@code carrier}. */
    public boolean uses(TicketCarrier carrier) {
        return carriers.contains(carrier);
    }

    /**
     * The User-to-User header value for {@code ticket}.
     *
     * @throws IllegalArgumentException when the encoding is NONE and the ticket is not a SIP token
     */
    public String userToUser(String ticket) {
        if (uuiEncoding == UuiEncoding.NONE) {
            if (!SipCodec.isToken(ticket)) {
                throw new IllegalArgumentException("ticket: User-to-User without encoding needs a SIP token, was \""
                        + SipCodec.printable(ticket) + "\"");
            }
            return ticket + ";purpose=" + uuiPurpose;
        }
        return SipCodec.hexLower(ticket) + ";encoding=hex;purpose=" + uuiPurpose;
    }

    /** Where a ticket was found. */
    public enum Source { USER_TO_USER, X_HEADER, TO_URI_PARAMETER, REQUEST_URI_PARAMETER, REFERRED_BY, CALLER_CORRELATION, CONSULT_CALL }

    /**
     * A redeemed ticket.
     *
     * @param ticket the ticket the bot sent
     * @param source which carrier (or correlation) delivered it
     */
    public record Redemption(String ticket, Source source) {
        public Redemption {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Reads the ticket from an INVITE that reached the agent, trying the configured carriers in order (the
     * To-URI parameter also in the Request-URI, which is where it is when no registrar rewrote it). A User-to-User
     * header with another {@code purpose} is not ours and is skipped (purpose compared without regard to case, hex
     * in either case). Called by the agent's side on any thread; never throws for malformed values, which count as
     * absent.
     */
    public Optional<Redemption> read(IncomingInvite invite) {
        Objects.requireNonNull(invite, "invite");
        for (TicketCarrier carrier : carriers) {
            Optional<Redemption> found = switch (carrier) {
                case USER_TO_USER -> fromUserToUser(invite.header("User-to-User"));
                case X_HEADER -> nonBlank(invite.header(headerName)).map(t -> new Redemption(t, Source.X_HEADER));
                case TO_URI_PARAMETER -> uriParameter(invite.toUri()).map(t -> new Redemption(t, Source.TO_URI_PARAMETER))
                        .or(() -> uriParameter(invite.requestUri()).map(t -> new Redemption(t, Source.REQUEST_URI_PARAMETER)));
                case REFERRED_BY -> nonBlank(invite.header("Referred-By")).flatMap(this::uriParameter)
                        .map(t -> new Redemption(t, Source.REFERRED_BY));
            };
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<Redemption> fromUserToUser(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] parts = value.trim().split(";");
        String purpose = null;
        String encoding = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("purpose")) {
                purpose = kv[1].trim();
            } else if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("encoding")) {
                encoding = kv[1].trim();
            }
        }
        if (purpose != null && !purpose.equalsIgnoreCase(uuiPurpose)) {
            return Optional.empty();
        }
        String data = parts[0].trim();
        if (encoding != null && encoding.equalsIgnoreCase("hex")) {
            try {
                data = SipCodec.unhex(data);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return nonBlank(data).map(t -> new Redemption(t, Source.USER_TO_USER));
    }

    /** The value of our URI parameter in a URI or a name-addr, unescaped; empty when absent. */
    Optional<String> uriParameter(String uriOrAddress) {
        if (uriOrAddress == null) {
            return Optional.empty();
        }
        Matcher m = PARAMETER_VALUE.matcher(uriOrAddress);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(parameter)) {
                try {
                    return nonBlank(SipCodec.unescape(m.group(2)));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static void token(String value, String name) {
        Objects.requireNonNull(value, name);
        if (!SipCodec.isToken(value)) {
            throw new IllegalArgumentException(name + " must be a SIP token (letters, digits, -.!%*_+`'~), was \""
                    + SipCodec.printable(value) + "\"");
        }
    }

    /** Builds a {@link TicketCarriage}; each value is validated where it is set. Not thread-safe. */
    public static final class Builder {
        private List<TicketCarrier> carriers = DEFAULT_CARRIERS;
        private String uuiPurpose = DEFAULT_UUI_PURPOSE;
        private UuiEncoding uuiEncoding = UuiEncoding.HEX;
        private String headerName = DEFAULT_HEADER_NAME;
        private String parameter = DEFAULT_PARAMETER;

        private Builder() {
        }

        /** The carriers, in the order the agent's side reads them; none means correlation only; default all, in enum order. */
        public Builder carriers(TicketCarrier... values) {
            List<TicketCarrier> list = new ArrayList<>(Arrays.asList(values));
            if (list.contains(null)) {
                throw new IllegalArgumentException("carriers must not contain null, was " + list);
            }
            this.carriers = List.copyOf(list);
            return this;
        }

        /** The {@code purpose} of User-to-User; a SIP token; default {@value TicketCarriage#DEFAULT_UUI_PURPOSE}. */
        public Builder uuiPurpose(String value) {
            token(value, "uuiPurpose");
            this.uuiPurpose = value;
            return this;
        }

        /** How the ticket is written into User-to-User; default {@link UuiEncoding#HEX}. */
        public Builder uuiEncoding(UuiEncoding value) {
            this.uuiEncoding = Objects.requireNonNull(value, "uuiEncoding");
            return this;
        }

        /** The X- header; default {@value TicketCarriage#DEFAULT_HEADER_NAME}. */
        public Builder headerName(String value) {
            token(value, "headerName");
            if (!value.regionMatches(true, 0, "X-", 0, 2)) {
                throw new IllegalArgumentException("headerName must start with X-, was \"" + value + "\"");
            }
            this.headerName = value;
            return this;
        }

        /** The URI parameter; a SIP token; default {@value TicketCarriage#DEFAULT_PARAMETER}. */
        public Builder parameter(String value) {
            token(value, "parameter");
            this.parameter = value;
            return this;
        }

        /**
         * The carriage.
         *
         * @return an immutable carriage
         */
        public TicketCarriage build() {
            return new TicketCarriage(carriers, uuiPurpose, uuiEncoding, headerName, parameter);
        }
    }
}
