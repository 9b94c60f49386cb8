package dev.handoff.desktop.internal;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Target;
import dev.handoff.core.chat.ChatQueues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The supervisor wallboard of one tenant: live handoffs by phase, queue depth and the oldest wait, silent alarms,
 * overdue commitments, who is signed in; and its CSV export with the KPIs. The CSV carries no customer data (session
 * references, not names) and every cell is guarded against spreadsheet formula injection.
 */
final class Board {

    private final Live live;
    private final Sessions sessions;
    private final Kpis kpis;
    private volatile ChatQueues queues;

    Board(Live live, Sessions sessions, Kpis kpis) {
        this.live = live;
        this.sessions = sessions;
        this.kpis = kpis;
    }

    void queues(ChatQueues q) {
        this.queues = q;
    }

    /**
     * Adds one handoff to the board: its row, its phase to the counts, its overdue commitments and its wait. Read under
     * the handoff's lock (its accessors take the same one), so the row is one moment of it: a phase changing meanwhile
     * cannot be counted under one phase and shown under another.
     */
    static void addRow(DeskHandoff h, Map<HandoffPhase, Integer> byPhase, List<Map<String, Object>> rows,
                       List<Map<String, Object>> overdue, Map<String, List<Instant>> waiting) {
        synchronized (h) {
            byPhase.merge(h.phase(), 1, Integer::sum);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("handoffId", h.handoffId());
            r.put("label", h.label());
            r.put("ref", h.ref());
            r.put("phase", h.phase());
            r.put("phaseSince", h.phaseAt());
            r.put("requestedAt", h.requestedAt());
            r.put("priority", h.priority());
            r.put("silentAlarm", h.silentAlarm());
            r.put("reasons", h.reasons());
            Target t = h.target();
            r.put("target", t == null ? null : t.id());
            r.put("waitingSince", h.waitingSince());
            r.put("agent", h.acceptedBy());
            r.put("overdue", h.overdue().size());
            rows.add(r);
            if (t != null && h.waitingSince() != null) {
                waiting.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(h.waitingSince());
            }
            h.overdue().forEach((id, deadline) -> h.commitments().stream().filter(c -> c.id().equals(id)).findFirst().ifPresent(c -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("handoffId", h.handoffId());
                o.put("label", h.label());
                o.put("commitmentId", id);
                o.put("kind", c.kind());
                o.put("strength", c.strength());
                o.put("deadline", deadline);
                overdue.add(o);
            }));
        }
    }

    Map<String, Object> snapshot(String tenant, Instant now) {
        List<DeskHandoff> handoffs = live.live(tenant);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "board");
        m.put("tenant", tenant);
        m.put("serverTime", now);

        Map<HandoffPhase, Integer> byPhase = new EnumMap<>(HandoffPhase.class);
        for (HandoffPhase p : HandoffPhase.values()) {
            if (!p.isFinal()) {
                byPhase.put(p, 0);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> overdue = new ArrayList<>();
        Map<String, List<Instant>> waiting = new TreeMap<>();
        for (DeskHandoff h : handoffs) {
            addRow(h, byPhase, rows, overdue, waiting);
        }
        rows.sort(Comparator.comparing((Map<String, Object> r) -> !(Boolean) r.get("silentAlarm"))
                .thenComparing(r -> (Instant) r.get("requestedAt")));
        m.put("phases", byPhase);
        m.put("handoffs", rows);

        List<Map<String, Object>> qs = new ArrayList<>();
        ChatQueues cq = queues;
        waiting.forEach((name, since) -> {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", name);
            q.put("depth", since.size());
            Instant oldest = since.stream().min(Instant::compareTo).orElse(now);
            q.put("oldestWaitingSince", oldest);
            q.put("oldestWaitSeconds", Math.max(0, Duration.between(oldest, now).toSeconds()));
            q.put("agentsSignedIn", cq == null ? null : cq.queue(name).signedInAgents());
            qs.add(q);
        });
        m.put("queues", qs);
        m.put("overdue", overdue);

        List<Map<String, Object>> agents = new ArrayList<>();
        sessions.active().stream().filter(s -> s.agent().tenant().equals(tenant))
                .sorted(Comparator.comparingLong(DeskSession::order)).forEach(s -> {
                    Map<String, Object> a = new LinkedHashMap<>(DeskJson.agent(s.agent()));
                    a.put("signedInAt", s.signedInAt());
                    a.put("lastActionAt", s.lastActionAt());
                    agents.add(a);
                });
        m.put("agents", agents);
        return m;
    }

    /** The CSV export: one row per figure, {@code window,from,to,metric,dimension,value}. */
    String csv(String tenant, Kpis.Window window, Instant now) {
        Map<String, Object> k = kpis.snapshot(tenant, window);
        Map<String, Object> b = snapshot(tenant, now);
        List<String[]> rows = new ArrayList<>();
        String w = window.key();
        String from = String.valueOf(k.get("from"));
        String to = String.valueOf(k.get("to"));
        java.util.function.BiConsumer<String, Object[]> row = (metric, dv) ->
                rows.add(new String[] {w, from, to, metric, dv[0] == null ? "" : dv[0].toString(), dv[1] == null ? "" : dv[1].toString()});
        Map<?, ?> containment = (Map<?, ?>) k.get("containment");
        row.accept("containment_rate", new Object[] {null, containment.get("rate")});
        row.accept("sessions_ended", new Object[] {null, containment.get("ended")});
        for (Object o : (List<?>) k.get("escalations")) {
            Map<?, ?> e = (Map<?, ?>) o;
            row.accept("escalations", new Object[] {e.get("kind"), e.get("count")});
        }
        Map<?, ?> transfers = (Map<?, ?>) k.get("transfers");
        for (String key : List.of("requested", "connected", "returned", "successRate", "fallbacks", "fallbackRate")) {
            row.accept("transfers_" + key, new Object[] {null, transfers.get(key)});
        }
        for (Object o : (List<?>) k.get("latency")) {
            Map<?, ?> l = (Map<?, ?>) o;
            row.accept("latency_p50_ms", new Object[] {l.get("phase"), l.get("p50Ms")});
            row.accept("latency_p99_ms", new Object[] {l.get("phase"), l.get("p99Ms")});
        }
        Map<?, ?> repetition = (Map<?, ?>) k.get("repetition");
        row.accept("repetition_rate", new Object[] {null, repetition.get("rate")});
        row.accept("repetition_flagged", new Object[] {null, repetition.get("flagged")});
        Map<?, ?> verification = (Map<?, ?>) k.get("verification");
        row.accept("verification_p50_ms", new Object[] {null, verification.get("p50Ms")});
        row.accept("verification_p99_ms", new Object[] {null, verification.get("p99Ms")});
        ((Map<?, ?>) b.get("phases")).forEach((phase, n) -> row.accept("live_handoffs", new Object[] {phase, n}));
        for (Object o : (List<?>) b.get("queues")) {
            Map<?, ?> q = (Map<?, ?>) o;
            row.accept("queue_depth", new Object[] {q.get("name"), q.get("depth")});
            row.accept("queue_oldest_wait_seconds", new Object[] {q.get("name"), q.get("oldestWaitSeconds")});
        }
        row.accept("silent_alarms", new Object[] {null, ((List<?>) b.get("handoffs")).stream()
                .filter(o -> Boolean.TRUE.equals(((Map<?, ?>) o).get("silentAlarm"))).count()});
        row.accept("overdue_commitments", new Object[] {null, ((List<?>) b.get("overdue")).size()});
        row.accept("agents_signed_in", new Object[] {null, ((List<?>) b.get("agents")).size()});

        StringBuilder out = new StringBuilder("window,from,to,metric,dimension,value\r\n");
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(cell(r[i]));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading apostrophe. */
    static String cell(String v) {
        String s = v;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.E]+")) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.startsWith("'")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
