package dev.handoff.desktop.internal;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.metrics.HandoffMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wallboard's KPIs, per tenant: each tenant's conversations feed their own core {@link HandoffMetrics}, whose output
 * lands in a {@link KpiWindow}; the wallboard reads the last hour or day from it. So containment, escalation reasons,
 * transfer success and fallback rate, latency per phase, repetition rate and commitment verification time are computed
 * exactly as core computes them, and no tenant sees another's numbers.
 */
final class Kpis {

    /** The windows the wallboard offers. */
    enum Window {
        HOUR(Duration.ofHours(1), Duration.ofMinutes(5)),
        DAY(Duration.ofDays(1), Duration.ofHours(1));

        final Duration span;
        final Duration step;

        Window(Duration span, Duration step) {
            this.span = span;
            this.step = step;
        }

        static Window parse(String s) {
            if (s == null || s.isBlank()) {
                return HOUR;
            }
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Phases whose latency from the trigger the wallboard charts. */
    static final List<HandoffPhase> PHASES = List.of(HandoffPhase.PACKAGED, HandoffPhase.ROUTED, HandoffPhase.VALIDATED,
            HandoffPhase.AGENT_NOTIFIED, HandoffPhase.TRANSFERRING, HandoffPhase.CONNECTED, HandoffPhase.VERIFIED);

    private record Tenant(KpiWindow window, HandoffMetrics metrics) {
    }

    private final Clock clock;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    Kpis(Clock clock) {
        this.clock = clock;
    }

    void onEvent(String tenant, HandoffEvent event) {
        tenant(tenant).metrics().onEvent(event);
    }

    private Tenant tenant(String name) {
        return tenants.computeIfAbsent(name, n -> {
            KpiWindow w = new KpiWindow(clock);
            return new Tenant(w, new HandoffMetrics(w));
        });
    }

    /** The KPIs of one tenant over one window, as the wallboard shows them. */
    Map<String, Object> snapshot(String tenant, Window window) {
        KpiWindow w = tenant(tenant).window();
        Instant to = clock.instant();
        KpiWindow.Totals t = w.totals(window.span);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window.key());
        m.put("from", to.minus(window.span));
        m.put("to", to);

        long ended = t.count("handoff.sessions.ended{contained=false}") + t.count("handoff.sessions.ended{contained=true}");
        long contained = t.count("handoff.sessions.ended{contained=true}");
        Map<String, Object> containment = new LinkedHashMap<>();
        containment.put("ended", ended);
        containment.put("contained", contained);
        containment.put("rate", rate(contained, ended));
        m.put("containment", containment);

        List<Map<String, Object>> reasons = new ArrayList<>();
        t.byTag("handoff.escalations").forEach((kind, n) -> reasons.add(Map.of("kind", kind, "count", n)));
        m.put("escalations", reasons);

        long connected = t.count("handoff.handoffs{result=connected}");
        long returned = t.count("handoff.handoffs{result=returned_to_bot}");
        long fallbacks = t.count("handoff.fallbacks");
        Map<String, Object> transfers = new LinkedHashMap<>();
        transfers.put("requested", t.byTag("handoff.requests").values().stream().mapToLong(Long::longValue).sum());
        transfers.put("connected", connected);
        transfers.put("returned", returned);
        transfers.put("successRate", rate(connected, connected + returned));
        transfers.put("fallbacks", fallbacks);
        transfers.put("fallbackRate", rate(fallbacks, connected + returned));
        m.put("transfers", transfers);

        List<Map<String, Object>> latency = new ArrayList<>();
        for (HandoffPhase p : PHASES) {
            String key = KpiWindow.key("handoff.latency.phase", Map.of("phase", p.name()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", p.name());
            row.put("p50Ms", t.percentile(key, 50));
            row.put("p99Ms", t.percentile(key, 99));
            row.put("samples", t.samples(key));
            latency.add(row);
        }
        m.put("latency", latency);

        Map<String, Object> repetition = new LinkedHashMap<>();
        repetition.put("rate", t.mean("handoff.repetition.rate"));
        repetition.put("flagged", t.count("handoff.repetition.flagged"));
        m.put("repetition", repetition);

        KpiWindow.Totals v = t.mergedTimer("handoff.commitment.verification");
        Map<String, Object> verification = new LinkedHashMap<>();
        verification.put("p50Ms", v.percentile("handoff.commitment.verification{*}", 50));
        verification.put("p99Ms", v.percentile("handoff.commitment.verification{*}", 99));
        verification.put("samples", v.samples("handoff.commitment.verification{*}"));
        m.put("verification", verification);

        List<Map<String, Object>> series = new ArrayList<>();
        Instant start = to.minus(window.span);
        for (Instant from = start; from.isBefore(to); from = from.plus(window.step)) {
            Instant end = from.plus(window.step);
            Instant last = end.isBefore(to) ? end.minusSeconds(60) : to;   // the last minute of this step; the newest up to now
            KpiWindow.Totals b = w.totals(from, last);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from", from);
            row.put("connected", b.count("handoff.handoffs{result=connected}"));
            row.put("returned", b.count("handoff.handoffs{result=returned_to_bot}"));
            series.add(row);
        }
        m.put("series", Map.of("step", window.step.toString(), "buckets", series));
        return m;
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
