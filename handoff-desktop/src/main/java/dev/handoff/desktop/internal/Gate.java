package dev.handoff.desktop.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The checks every request passes before anything else: the {@code Host} is one of the desktop's (no DNS rebinding),
 * state changes and sockets come from an allowed {@code Origin} (no cross-site requests), and no credential travels in
 * the URL. Thread-safe; the allowed origins are fixed when the port is bound.
 */
final class Gate {

    /** Query parameter names that would carry a credential; a request naming one is refused. */
    static final Set<String> CREDENTIAL_PARAMETERS = Set.of("token", "access_token", "id_token", "auth", "authorization",
            "credential", "password", "session", "sid", "ticket", "key", "api_key", "apikey", "jwt", "bearer", "cookie");

    private volatile Set<String> origins = Set.of();
    private volatile Set<String> hosts = Set.of();

    /** The desktop is bound: its own origins (every loopback spelling on loopback) plus the configured ones. */
    void bound(boolean tls, String host, boolean loopback, int port, Set<String> extra) {
        String scheme = tls ? "https" : "http";
        Set<String> names = new LinkedHashSet<>();
        names.add(host.toLowerCase(Locale.ROOT).contains(":") && !host.startsWith("[") ? "[" + host.toLowerCase(Locale.ROOT) + "]"
                : host.toLowerCase(Locale.ROOT));
        if (loopback) {
            names.add("localhost");
            names.add("127.0.0.1");
            names.add("[::1]");
        }
        Set<String> o = new LinkedHashSet<>();
        Set<String> h = new LinkedHashSet<>();
        for (String n : names) {
            o.add(scheme + "://" + n + ":" + port);
            h.add(n + ":" + port);
            if (port == (tls ? 443 : 80)) {
                o.add(scheme + "://" + n);
                h.add(n);
            }
        }
        for (String origin : extra) {
            o.add(origin);
            URI u = URI.create(origin);
            int p = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            h.add(u.getHost() + ":" + p);
            if (u.getPort() < 0) {
                h.add(u.getHost());
            }
        }
        this.origins = Set.copyOf(o);
        this.hosts = Set.copyOf(h);
    }

    Set<String> origins() {
        return origins;
    }

    boolean hostAllowed(Request r) {
        String host = r.getHeaders().get(HttpHeader.HOST);
        return host != null && hosts.contains(host.strip().toLowerCase(Locale.ROOT));
    }

    boolean originAllowed(Request r) {
        String origin = r.getHeaders().get(HttpHeader.ORIGIN);
        return origin != null && origins.contains(origin.strip().toLowerCase(Locale.ROOT));
    }

    /** The name of a credential-like query parameter the request carries, or null. */
    static String credentialInUrl(Request r) {
        if (r.getHttpURI().getQuery() == null) {
            return null;
        }
        Fields query = Request.extractQueryParameters(r, StandardCharsets.UTF_8);
        for (Fields.Field f : query) {
            if (CREDENTIAL_PARAMETERS.contains(f.getName().toLowerCase(Locale.ROOT))) {
                return f.getName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The peer's IP literal (IPv6 without brackets or zone), for audit records. */
    static String clientAddress(Request r) {
        String a = Request.getRemoteAddr(r);
        if (a == null) {
            return null;
        }
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        return a.matches("[0-9A-Fa-f.:]{2,45}") ? a : null;
    }
}
