package dev.handoff.sip.internal;

import dev.handoff.sip.MediaEndpoint.Codec;
import dev.handoff.sip.MediaEndpoint.Description;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 3264 offer/answer for the bot's side, on SDP text. Pure functions; thread-safe.
 *
 * <p>Answer rules: one {@code m=} line per offered stream, in order. An audio stream gets the offered payload
 * types we also support (matched by static number 0-95 or by {@code rtpmap} name and clock rate), in the offer's
 * order and with the offer's numbers; {@code telephone-event} only when offered. The direction mirrors the offer
 * (sendonly is answered recvonly, recvonly sendonly, inactive inactive). A stream we cannot serve (not audio, no
 * common codec, a second audio stream) is refused with port 0. No acceptable audio at all is a
 * {@link NotAcceptable} (488).
 */
public final class Sdp {

    /** The offer cannot be answered: 488 Not Acceptable Here, with the reason for the Warning/log. */
    public static final class NotAcceptable extends Exception {
        NotAcceptable(String message) {
            super(message);
        }
    }

    private record Stream(String media, int port, String proto, List<String> formats, Map<String, String> rtpmap,
                          Map<String, String> fmtp, String direction) {
    }

    private Sdp() {
    }

    /** An offer of our codecs with {@code direction} (sendrecv, sendonly to hold). */
    public static String offer(Description local, String sessionId, int version, String direction) {
        StringBuilder out = header(local, sessionId, version);
        List<String> pts = new ArrayList<>();
        for (Codec c : local.codecs()) {
            pts.add(Integer.toString(c.payloadType()));
        }
        out.append("m=audio ").append(local.port()).append(" RTP/AVP ").append(String.join(" ", pts)).append("\r\n");
        for (Codec c : local.codecs()) {
            codecLines(out, c.payloadType(), c);
        }
        out.append("a=").append(direction).append("\r\n");
        return out.toString();
    }

    /**
     * Answers an offer.
     *
     * @throws NotAcceptable  when no audio stream has a codec in common (or the offer has no stream)
     * @throws IllegalArgumentException naming the line when the offer is not SDP
     */
    public static String answer(byte[] offerBody, Description local, String sessionId, int version) throws NotAcceptable {
        List<Stream> streams = parse(new String(offerBody, StandardCharsets.UTF_8));
        if (streams.isEmpty()) {
            throw new NotAcceptable("the offer has no media stream");
        }
        StringBuilder out = header(local, sessionId, version);
        boolean audioTaken = false;
        for (Stream s : streams) {
            List<String> common = new ArrayList<>();
            List<Codec> chosen = new ArrayList<>();
            if (s.media().equals("audio") && !audioTaken && s.port() != 0 && s.proto().toUpperCase(Locale.ROOT).startsWith("RTP/")) {
                for (String pt : s.formats()) {
                    Codec match = match(pt, s, local);
                    if (match != null) {
                        common.add(pt);
                        chosen.add(match);
                    }
                }
            }
            boolean voice = chosen.stream().anyMatch(c -> !c.name().equalsIgnoreCase("telephone-event"));
            if (!voice) {
                out.append("m=").append(s.media()).append(" 0 ").append(s.proto()).append(' ')
                        .append(s.formats().isEmpty() ? "0" : s.formats().get(0)).append("\r\n");
                continue;
            }
            audioTaken = true;
            out.append("m=audio ").append(local.port()).append(' ').append(s.proto()).append(' ')
                    .append(String.join(" ", common)).append("\r\n");
            for (int i = 0; i < common.size(); i++) {
                codecLines(out, Integer.parseInt(common.get(i)), chosen.get(i));
            }
            out.append("a=").append(mirror(s.direction())).append("\r\n");
        }
        if (!audioTaken) {
            throw new NotAcceptable("no offered audio codec is supported (offered: " + describe(streams) + ")");
        }
        return out.toString();
    }

    /** The direction of the first audio stream of an SDP body (sendrecv when absent), for tests and logs. */
    public static String direction(byte[] body) {
        for (Stream s : parse(new String(body, StandardCharsets.UTF_8))) {
            if (s.media().equals("audio")) {
                return s.direction();
            }
        }
        return "sendrecv";
    }

    private static Codec match(String pt, Stream s, Description local) {
        String map = s.rtpmap().get(pt);
        int number;
        try {
            number = Integer.parseInt(pt);
        } catch (NumberFormatException e) {
            return null;
        }
        for (Codec c : local.codecs()) {
            if (map != null) {
                String[] nameClock = map.split("/");
                int clock;
                try {
                    clock = nameClock.length > 1 ? Integer.parseInt(nameClock[1].trim()) : -1;
                } catch (NumberFormatException e) {
                    continue;
                }
                if (c.matches(nameClock[0].trim(), clock)) {
                    return c;
                }
            } else if (number < 96 && c.payloadType() == number) {
                return c;
            }
        }
        return null;
    }

    private static String mirror(String direction) {
        return switch (direction) {
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            case "inactive" -> "inactive";
            default -> "sendrecv";
        };
    }

    private static StringBuilder header(Description local, String sessionId, int version) {
        return new StringBuilder(256).append("v=0\r\n")
                .append("o=handoff ").append(sessionId).append(' ').append(version).append(" IN IP4 ").append(local.address()).append("\r\n")
                .append("s=handoff\r\n")
                .append("c=IN IP4 ").append(local.address()).append("\r\n")
                .append("t=0 0\r\n");
    }

    private static void codecLines(StringBuilder out, int pt, Codec c) {
        out.append("a=rtpmap:").append(pt).append(' ').append(c.name()).append('/').append(c.clockRate()).append("\r\n");
        if (c.fmtp() != null) {
            out.append("a=fmtp:").append(pt).append(' ').append(c.fmtp()).append("\r\n");
        }
    }

    private static List<Stream> parse(String text) {
        List<Stream> streams = new ArrayList<>();
        String sessionDirection = "sendrecv";
        String media = null;
        int port = 0;
        String proto = "";
        List<String> formats = List.of();
        Map<String, String> rtpmap = new LinkedHashMap<>();
        Map<String, String> fmtp = new LinkedHashMap<>();
        String direction = null;
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new IllegalArgumentException("SDP: expected type=value lines, was \"" + SipCodec.printable(line) + "\"");
            }
            if (line.startsWith("m=")) {
                if (media != null) {
                    streams.add(new Stream(media, port, proto, formats, rtpmap, fmtp, direction != null ? direction : sessionDirection));
                }
                String[] parts = line.substring(2).trim().split("\\s+");
                if (parts.length < 3) {
                    throw new IllegalArgumentException("SDP: expected m=<media> <port> <proto> <formats>, was \"" + SipCodec.printable(line) + "\"");
                }
                media = parts[0].toLowerCase(Locale.ROOT);
                try {
                    port = Integer.parseInt(parts[1].split("/")[0]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("SDP: m= port must be a number, was \"" + SipCodec.printable(parts[1]) + "\"", e);
                }
                proto = parts[2];
                formats = List.of(parts).subList(3, parts.length);
                rtpmap = new LinkedHashMap<>();
                fmtp = new LinkedHashMap<>();
                direction = null;
            } else if (line.startsWith("a=")) {
                String attr = line.substring(2);
                String dir = switch (attr) {
                    case "sendrecv", "sendonly", "recvonly", "inactive" -> attr;
                    default -> null;
                };
                if (dir != null) {
                    if (media == null) {
                        sessionDirection = dir;
                    } else {
                        direction = dir;
                    }
                } else if (media != null && attr.startsWith("rtpmap:")) {
                    String[] kv = attr.substring(7).split("\\s+", 2);
                    if (kv.length == 2) {
                        rtpmap.put(kv[0], kv[1]);
                    }
                } else if (media != null && attr.startsWith("fmtp:")) {
                    String[] kv = attr.substring(5).split("\\s+", 2);
                    if (kv.length == 2) {
                        fmtp.put(kv[0], kv[1]);
                    }
                }
            }
        }
        if (media != null) {
            streams.add(new Stream(media, port, proto, formats, rtpmap, fmtp, direction != null ? direction : sessionDirection));
        }
        return streams;
    }

    private static String describe(List<Stream> streams) {
        List<String> parts = new ArrayList<>();
        for (Stream s : streams) {
            List<String> names = new ArrayList<>();
            for (String pt : s.formats()) {
                names.add(s.rtpmap().getOrDefault(pt, pt));
            }
            parts.add(s.media() + " " + String.join(",", names));
        }
        return SipCodec.printable(String.join("; ", parts));
    }
}
