package dev.handoff.desktop.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AuditRecord.Action;
import dev.handoff.desktop.Agent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each API call does, once {@link Routes} has checked the host, the origin, the URL and the session. Every call on
 * a handoff first checks the person may see it (404 otherwise, so ids reveal nothing) and may act on it (403 for a
 * supervisor); every refusal is audited. Actions go through the handoff's {@link AgentActions}, tagged with the client
 * address, so core updates its ledger, events, audit and phase. Runs on Jetty's request threads.
 */
final class Api {

    /** Longest request body accepted. */
    static final int MAX_BODY_CHARS = 8_192;

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    private final Desk desk;

    Api(Desk desk) {
        this.desk = desk;
    }

    // ---- sessions ----

    DeskResult signIn(String address, String body) {
        Duration wait = desk.limiter().retryAfter(address);
        if (!wait.isZero()) {
            desk.audit().record("anonymous", Action.DESK_SIGN_IN_REFUSED, null, null, "rate_limited", address);
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return DeskResult.error(429, "too many failed sign-ins from this address; try again in " + seconds + " s")
                    .with("Retry-After", Long.toString(seconds));
        }
        JsonNode node = parse(body);
        JsonNode credential = node == null ? null : node.get("credential");
        if (credential == null || !credential.isTextual() || credential.asText().isBlank() || credential.asText().length() > 4_096) {
            return DeskResult.error(400, "the body must be {\"credential\": \"...\"} with 1-4096 characters");
        }
        Optional<Agent> agent;
        try {
            agent = desk.config().authenticator().authenticate(credential.asText());
        } catch (RuntimeException e) {
            LOG.error("The agent authenticator failed; refusing the sign-in", e);
            desk.audit().record("anonymous", Action.DESK_SIGN_IN_REFUSED, null, null, "authenticator_failed", address);
            return DeskResult.error(503, "sign-in is not available right now");
        }
        if (agent.isEmpty()) {
            desk.limiter().failed(address);
            desk.audit().record("anonymous", Action.DESK_SIGN_IN_REFUSED, null, null, "bad_credential", address);
            return DeskResult.error(401, "that credential was not accepted");
        }
        desk.limiter().succeeded(address);
        DeskSession s = desk.signedIn(agent.get(), address);
        Map<String, Object> m = me(s);
        m.put("home", s.agent().isSupervisor() ? "/wallboard" : "/");
        return DeskResult.ok(desk.json().write(m)).with("Set-Cookie", desk.sessions().cookie(s));
    }

    DeskResult signOut(DeskSession s) {
        desk.sessions().end(s, "signed_out");
        return DeskResult.ok("{\"signedOut\":true}").with("Set-Cookie", desk.sessions().clearCookie());
    }

    DeskResult activity(DeskSession s) {
        return DeskResult.ok(desk.json().write(me(s)));
    }

    DeskResult session(DeskSession s) {
        return DeskResult.ok(desk.json().write(me(s)));
    }

    private Map<String, Object> me(DeskSession s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", DeskJson.agent(s.agent()));
        m.put("serverTime", desk.clock().instant());
        m.put("signOutAt", desk.sessions().signOutAt(s));
        return m;
    }

    // ---- handoffs ----

    DeskResult open(DeskSession s, String address, String contextId) {
        Agent a = s.agent();
        DeskHandoff h = visible(s, address, contextId);
        if (h == null) {
            return notFound(s, address, "handoff", contextId);
        }
        HandoffContext verified = h.verified();
        if (verified == null) {
            try {
                verified = desk.handoff().redeem(h.notification().ticket(), a.id());
                h.verified(verified);
            } catch (NonRetriableHandoffException e) {
                desk.audit().record(a.id(), Action.DESK_ACCESS_DENIED, h.sessionId(), h.contextId(), "410:ticket", address);
                return DeskResult.error(410, "this handoff's context can no longer be opened: " + e.getMessage());
            }
        }
        Instant now = desk.clock().instant();
        Instant openedAt = h.opened(a.id(), now);
        desk.audit().record(a.id(), Action.CONTEXT_VIEWED, h.sessionId(), h.contextId(), "opened", address);
        return DeskResult.ok(desk.json().view(h, verified, a, openedAt, desk.verificationWindow(), now));
    }

    DeskResult read(DeskSession s, String address, String contextId) {
        DeskHandoff h = actionable(s, address, contextId);
        if (h == null) {
            return refusal(s, address, contextId);
        }
        return act(() -> h.actions().from(address).confirmRead(s.agent().id())
                ? DeskResult.ok(desk.json().write(Map.of("read", true)))
                : DeskResult.error(409, "this handoff has ended"), RuntimeException::getMessage);
    }

    DeskResult verify(DeskSession s, String address, String contextId, String commitmentId, String body) {
        DeskHandoff h = actionable(s, address, contextId);
        if (h == null) {
            return refusal(s, address, contextId);
        }
        JsonNode node = parse(body);
        if (node == null) {
            return DeskResult.error(400, "the body must be a JSON object of at most " + MAX_BODY_CHARS + " characters");
        }
        JsonNode action = node.get("action");
        String verb = action != null && action.isTextual() ? action.asText().toUpperCase(Locale.ROOT) : "";
        JsonNode value = node.get("value");
        if (value != null && !value.isNull() && !value.isTextual()) {
            return DeskResult.error(400, "value must be a string, was " + value.getNodeType());
        }
        String text = value == null || value.isNull() ? null : value.asText().strip();
        AgentActions actions = h.actions().from(address);
        String agentId = s.agent().id();
        return act(() -> {
            Commitment updated = switch (verb) {
                case "CONFIRM" -> actions.confirm(commitmentId, agentId);
                case "CORRECT" -> {
                    if (text == null || text.isEmpty() || text.length() > 200) {
                        throw new IllegalArgumentException("a correction needs the corrected value (1-200 characters)");
                    }
                    yield actions.correct(commitmentId, text, agentId);
                }
                case "REVOKE" -> actions.revoke(commitmentId, agentId);
                default -> throw new IllegalArgumentException("action must be one of [CONFIRM, CORRECT, REVOKE], was "
                        + (action == null ? "missing" : clean(action.toString())));
            };
            h.commitment(updated, desk.clock().instant());
            return DeskResult.ok(desk.json().write(desk.json().commitment(h, updated, s.agent(), desk.verificationWindow())));
        }, RuntimeException::getMessage);
    }

    /**
     * The agent's feedback on a handoff ({@link FeedbackRequest}), also once it ended, while the desk still lists it:
     * 400 naming the field for a bad body, 409 for a verdict on a commitment it does not have.
     */
    DeskResult feedback(DeskSession s, String address, String contextId, String body) {
        DeskHandoff h = actionable(s, address, contextId);
        if (h == null) {
            return refusal(s, address, contextId);
        }
        JsonNode node = parse(body);
        if (node == null) {
            return DeskResult.error(400, "the body must be a JSON object of at most " + MAX_BODY_CHARS + " characters");
        }
        return act(() -> {
            java.util.List<Commitment> after = h.actions().from(address).feedback(FeedbackRequest.read(node, s.agent().id()));
            Instant now = desk.clock().instant();
            java.util.List<Map<String, Object>> shown = new java.util.ArrayList<>();
            for (Commitment c : after) {
                h.commitment(c, now);
                shown.add(desk.json().commitment(h, c, s.agent(), desk.verificationWindow()));
            }
            return DeskResult.ok(desk.json().write(Map.of("feedback", true, "commitments", shown)));
        }, RuntimeException::getMessage);
    }

    DeskResult send(DeskSession s, String address, String contextId, String body) {
        DeskHandoff h = actionable(s, address, contextId);
        if (h == null) {
            return refusal(s, address, contextId);
        }
        if (!DeskJson.canWrite(h, s.agent())) {
            return DeskResult.error(409, h.channel() != dev.handoff.api.Channel.CHAT
                    ? "this is a phone call: speak to the customer on the call"
                    : h.acceptedBy() != null && !h.acceptedBy().equals(s.agent().id())
                    ? "another agent has this chat" : "you can write once you have the chat (accept the offer first)");
        }
        String text = textField(body, "text");
        if (text == null) {
            return DeskResult.error(400, "the body must be {\"text\": \"...\"}");
        }
        return act(() -> DeskResult.ok(desk.json().write(DeskJson.turn(h.actions().from(address).send(s.agent().id(), text)))),
                e -> "a message must be 1-" + AgentActions.MAX_MESSAGE_CHARS + " characters");
    }

    DeskResult handBack(DeskSession s, String address, String contextId, String body) {
        DeskHandoff h = actionable(s, address, contextId);
        if (h == null) {
            return refusal(s, address, contextId);
        }
        if (h.acceptedBy() != null && !h.acceptedBy().equals(s.agent().id())) {
            return DeskResult.error(409, "another agent has this conversation");
        }
        String note = body == null || body.isBlank() ? "" : textField(body, "note");
        if (note == null) {
            return DeskResult.error(400, "the body must be {\"note\": \"...\"}");
        }
        HandoffPhase phase = h.phase();
        if (phase != HandoffPhase.CONNECTED && phase != HandoffPhase.VERIFIED) {
            return DeskResult.error(409, "only a conversation you have can be handed back (decline an offer instead)");
        }
        return act(() -> {
            h.actions().from(address).handBack(s.agent().id(), note);
            return DeskResult.ok("{\"handedBack\":true}");
        }, e -> "a note must be at most " + AgentActions.MAX_MESSAGE_CHARS + " characters");
    }

    /**
     * Runs one agent action and maps what it throws, the same for every route: 400 for a bad value (the message
     * {@code invalid} gives), 503 with Retry-After when the state behind it is briefly unavailable, 409 when the
     * handoff no longer allows it.
     */
    private DeskResult act(java.util.function.Supplier<DeskResult> action, java.util.function.Function<RuntimeException, String> invalid) {
        try {
            return action.get();
        } catch (IllegalArgumentException | ValidationException e) {
            return DeskResult.error(400, invalid.apply(e));
        } catch (RetriableHandoffException e) {
            return unavailable(e);
        } catch (NonRetriableHandoffException e) {
            return DeskResult.error(409, e.getMessage());
        }
    }

    // ---- offers ----

    DeskResult accept(DeskSession s, String address, String offerId) {
        Optional<Offers.DeskOffer> o = desk.offers().find(s.agent(), offerId);
        if (o.isEmpty()) {
            return notFound(s, address, "offer", null);
        }
        Offers.DeskOffer offer = o.get();
        if (!desk.offers().accept(offer)) {
            desk.audit().record(s.agent().id(), Action.OFFER_ACCEPTED, offer.sessionId(), offer.contextId(), "expired", address);
            return DeskResult.error(410, "the offer expired: the customer was offered elsewhere");
        }
        desk.live().acceptedHere(offer.contextId(), s.agent().id());
        desk.audit().record(s.agent().id(), Action.OFFER_ACCEPTED, offer.sessionId(), offer.contextId(), "accepted", address);
        return DeskResult.ok(desk.json().write(Map.of("contextId", offer.contextId())));
    }

    DeskResult decline(DeskSession s, String address, String offerId) {
        Optional<Offers.DeskOffer> o = desk.offers().find(s.agent(), offerId);
        if (o.isEmpty()) {
            return notFound(s, address, "offer", null);
        }
        desk.offers().decline(o.get());
        desk.audit().record(s.agent().id(), Action.OFFER_DECLINED, o.get().sessionId(), o.get().contextId(), "declined", address);
        return DeskResult.ok("{\"declined\":true}");
    }

    // ---- wallboard ----

    DeskResult board(DeskSession s, String address) {
        if (!s.agent().isSupervisor()) {
            return forbidden(s, address, "wallboard");
        }
        desk.audit().record(s.agent().id(), Action.WALLBOARD_VIEWED, null, null, "viewed", address);
        return DeskResult.ok(desk.json().write(desk.board().snapshot(s.agent().tenant(), desk.clock().instant())));
    }

    DeskResult kpis(DeskSession s, String address, String window) {
        if (!s.agent().isSupervisor()) {
            return forbidden(s, address, "kpis");
        }
        Kpis.Window w = Kpis.Window.parse(window);
        if (w == null) {
            return DeskResult.error(400, "window must be hour or day, was \"" + clean(window) + "\"");
        }
        return DeskResult.ok(desk.json().write(desk.kpis().snapshot(s.agent().tenant(), w)));
    }

    /** The CSV export; the caller writes it as text/csv. */
    DeskResult csv(DeskSession s, String address, String window) {
        if (!s.agent().isSupervisor()) {
            return forbidden(s, address, "export");
        }
        Kpis.Window w = Kpis.Window.parse(window);
        if (w == null) {
            return DeskResult.error(400, "window must be hour or day, was \"" + clean(window) + "\"");
        }
        desk.audit().record(s.agent().id(), Action.WALLBOARD_VIEWED, null, null, "csv:" + w.key(), address);
        return new DeskResult(200, desk.board().csv(s.agent().tenant(), w, desk.clock().instant()), Map.of());
    }

    // ---- checks ----

    /** The handoff if this person may see it and it was notified to the desktop; else null. */
    private DeskHandoff visible(DeskSession s, String address, String contextId) {
        DeskHandoff h = desk.live().byContext(contextId)
                .or(() -> desk.offers().open(s.agent().id()).stream().filter(o -> o.contextId().equals(contextId)).findFirst()
                        .flatMap(o -> desk.live().remote(o.offer())))   // an offer from another instance, not shown in full yet
                .orElse(null);
        if (h == null || h.notification() == null || !Access.canSee(s.agent(), h)) {
            return null;
        }
        return h;
    }

    private DeskHandoff actionable(DeskSession s, String address, String contextId) {
        DeskHandoff h = visible(s, address, contextId);
        return h != null && Access.canAct(s.agent(), h) ? h : null;
    }

    /** 404 for a handoff they cannot see, 403 for one they can see but not act on (a supervisor). */
    private DeskResult refusal(DeskSession s, String address, String contextId) {
        DeskHandoff h = visible(s, address, contextId);
        if (h == null) {
            return notFound(s, address, "handoff", contextId);
        }
        desk.audit().record(s.agent().id(), Action.DESK_ACCESS_DENIED, h.sessionId(), h.contextId(), "403:act", address);
        return DeskResult.error(403, "supervisors watch handoffs; only agents act on them");
    }

    /** Audited with the id asked for (when it has the shape of an id), never its session: that would reveal it. */
    private DeskResult notFound(DeskSession s, String address, String what, String askedId) {
        desk.audit().record(s.agent().id(), Action.DESK_ACCESS_DENIED, null, "handoff".equals(what) ? askedId : null,
                "404:" + what, address);
        return DeskResult.error(404, "no such " + what + " for you");
    }

    /**
     * The action could not be done now (the handoff runs on another instance that did not answer, or the shared
     * database is unavailable): nothing was done, and the agent is told so.
     */
    private static DeskResult unavailable(RetriableHandoffException e) {
        return DeskResult.error(503, e.getMessage()).with("Retry-After", "5");
    }

    private DeskResult forbidden(DeskSession s, String address, String what) {
        desk.audit().record(s.agent().id(), Action.DESK_ACCESS_DENIED, null, null, "403:" + what, address);
        return DeskResult.error(403, "only supervisors see the " + what);
    }

    private JsonNode parse(String body) {
        if (body == null || body.length() > MAX_BODY_CHARS) {
            return null;
        }
        try {
            JsonNode n = desk.json().read(body.isBlank() ? "{}" : body);
            return n != null && n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String textField(String body, String field) {
        JsonNode node = parse(body);
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String clean(String s) {
        if (s == null) {
            return "";
        }
        String c = s.replaceAll("\\p{Cntrl}", "");
        return c.length() > 40 ? c.substring(0, 40) + "…" : c;
    }
}
