package dev.handoff.crm.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.Priority;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.json.ContextJson;
import dev.handoff.crm.internal.ContextText;
import dev.handoff.crm.internal.Json;
import dev.handoff.crm.internal.Verdict;
import dev.handoff.crm.mapping.FieldMapping;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Zendesk Support over the Ticketing API ({@code /api/v2}).
 *
 * <ul>
 *   <li>{@link #lookup}: {@code GET /api/v2/users/{id}.json} (account id {@code "zendesk"}), else
 *       {@code GET /api/v2/users/search.json?query=email:<email>} (or {@code phone:<phone>}); then
 *       {@code GET /api/v2/users/{id}/tickets/requested.json?sort_by=created_at&sort_order=desc} for the previous
 *       interactions.</li>
 *   <li>{@link #push}: {@code POST /api/v2/tickets.json} with {@code ticket.subject}, a private
 *       {@code ticket.comment} holding the whisper, reasons, commitments and transcript, {@code requester_id},
 *       {@code priority}, tags {@code handoff} and {@code handoff_voice}/{@code handoff_chat},
 *       {@code external_id} = the idempotency key, and the mapped fields (a target named
 *       {@code custom_fields.<id>} goes into {@code custom_fields}). Then, per commitment, a separate ticket of
 *       {@code type: task} ("Verify AI commitment: ...") with {@code due_at} at the end of the verification window, a
 *       private comment naming the handoff ticket, tag {@code handoff_commitment}: a distinct object an agent
 *       solves once the promise is confirmed.</li>
 *   <li>{@link #pushVerdict}: finds the commitment's task ticket by the {@code external_id} the push gave it and
 *       updates it ({@code PUT /api/v2/tickets/{id}.json}): status {@code solved}, a private comment with the verdict,
 *       tags {@code handoff_verdict_<status>} and the verdict's token added.</li>
 * </ul>
 *
 * <p>Every create carries Zendesk's {@code Idempotency-Key} header (the handoff key for the ticket, the key plus
 * the commitment id for each task), so a push repeated after a lost answer returns the ticket already made.
 * Authenticate with {@code CrmAuth.basic(agentEmail + "/token", apiToken)} or an OAuth2 bearer token.
 */
public final class ZendeskAdapter implements CrmAdapter {

    /** Default verification window (task due time after the handoff): 60 s. */
    public static final Duration DEFAULT_VERIFICATION_WINDOW = Duration.ofSeconds(60);
    /** Default number of previous tickets read on lookup: 5. */
    public static final int DEFAULT_HISTORY = 5;

    private static final String CUSTOM_FIELD_PREFIX = "custom_fields.";

    private final CrmHttpClient http;
    private final HttpUrl base;
    private final FieldMapping mapping;
    private final Duration verificationWindow;
    private final int history;

    private ZendeskAdapter(Builder b, HttpUrl base) {
        this.http = b.http;
        this.base = base;
        this.mapping = b.mapping;
        this.verificationWindow = b.verificationWindow;
        this.history = b.history;
    }

    /**
     * @param http    the transport; its auth carries the API token or OAuth2 token
     * @param baseUrl the account's URL ({@code https://acme.zendesk.com})
     */
    public static Builder builder(CrmHttpClient http, String baseUrl) {
        return new Builder(http, baseUrl);
    }

    @Override
    public String name() {
        return http.system();
    }

    @Override
    public Optional<CrmProfile> lookup(CustomerData customer) {
        Objects.requireNonNull(customer, "customer");
        JsonNode user;
        String id = customer.accountIds().get("zendesk");
        if (id != null && id.matches("\\d{1,20}")) {
            JsonNode answer = get("user show", api("users", id + ".json").build());
            user = answer.path("user");
        } else {
            String query = query(customer);
            if (query == null) {
                return Optional.empty();
            }
            JsonNode answer = get("user search", api("users", "search.json").addQueryParameter("query", query).build());
            JsonNode users = answer.path("users");
            user = users.isArray() && !users.isEmpty() ? users.get(0) : null;
        }
        if (user == null || user.isMissingNode() || user.isNull()) {
            return Optional.empty();
        }
        String userId = Json.requireText(name(), "user lookup", user, "/id");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String key : List.of("email", "phone", "organization_id", "role", "time_zone")) {
            String v = Json.text(user, key);
            if (v != null && !v.isBlank()) {
                attributes.put(key, v);
            }
        }
        return Optional.of(new CrmProfile(name(), userId, Json.text(user, "name"), attributes, interactions(userId)));
    }

    private List<CrmProfile.Interaction> interactions(String userId) {
        if (history == 0) {
            return List.of();
        }
        JsonNode answer = get("requested tickets", api("users", userId, "tickets", "requested.json")
                .addQueryParameter("sort_by", "created_at").addQueryParameter("sort_order", "desc").build());
        List<CrmProfile.Interaction> out = new ArrayList<>();
        for (JsonNode t : answer.path("tickets")) {
            if (out.size() >= history) {
                break;
            }
            var at = Json.instant(Json.text(t, "created_at"));
            if (at == null) {
                continue;
            }
            out.add(new CrmProfile.Interaction(at, Json.text(t.path("via"), "channel"),
                    "Ticket #" + Json.text(t, "id") + ": " + Json.text(t, "subject"), Json.text(t, "status")));
        }
        return out;
    }

    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String profileId = context.crmProfile() != null && context.crmProfile().system().equals(name())
                ? context.crmProfile().recordId() : lookup(context.customer()).map(CrmProfile::recordId).orElse(null);
        Long requesterId = profileId != null && profileId.matches("\\d{1,18}") ? Long.valueOf(profileId) : null;
        ObjectNode body = ContextJson.get().mapper().createObjectNode();
        ObjectNode ticket = body.putObject("ticket");
        ticket.put("subject", ContextText.subject(context, 150));
        ticket.putObject("comment").put("body", ContextText.body(context)).put("public", false);
        if (requesterId != null) {
            ticket.put("requester_id", requesterId);
        }
        ticket.put("priority", priority(context.metadata().priority()));
        ticket.putArray("tags").add("handoff").add(context.channel() == Channel.VOICE ? "handoff_voice" : "handoff_chat");
        ticket.put("external_id", idempotencyKey);
        applyMapping(ticket, mapping.apply(context));
        String ticketId = create(body, idempotencyKey, "ticket create");
        for (Commitment k : context.commitments()) {
            ObjectNode taskBody = ContextJson.get().mapper().createObjectNode();
            ObjectNode task = taskBody.putObject("ticket");
            task.put("subject", ContextText.commitmentSubject(k, 150));
            task.put("type", "task");
            task.put("due_at", context.createdAt().plus(verificationWindow).toString());
            task.putObject("comment").put("body", ContextText.commitmentBody(context, k) + "\nHandoff ticket: #" + ticketId)
                    .put("public", false);
            if (requesterId != null) {
                task.put("requester_id", requesterId);
            }
            task.put("priority", k.strength() == Commitment.Strength.HARD ? "high" : "normal");
            if (k.status() != Commitment.Status.PENDING_VERIFICATION) {
                task.put("status", "solved");
            }
            task.putArray("tags").add("handoff_commitment").add("handoff_commitment_" + k.kind().name().toLowerCase(Locale.ROOT));
            task.put("external_id", idempotencyKey + ":" + k.id());
            create(taskBody, idempotencyKey + ":" + k.id(), "commitment task create");
        }
        return receipt(ticketId);
    }

    /**
     * Writes a human's verdict onto the commitment's task ticket: {@code GET /api/v2/tickets.json?external_id=<push
     * key>:<commitment id>} finds it; unless it already carries this verdict's token tag (the verdict was written
     * before), {@code PUT /api/v2/tickets/{id}.json} sets {@code status: solved}, adds a private {@code comment} with the
     * verdict ({@link Verdict#text()}: no transcript text; a correction with its corrected value) and adds the tags
     * {@code handoff_verdict_<confirmed|corrected|revoked>} and the token ({@code additional_tags} keeps the others).
     * Zendesk honours {@code Idempotency-Key} on ticket creation only, so the token is what makes a repeat write nothing;
     * the update is sent in one attempt ({@link CrmHttpClient#executeOnce}) and retried by the outbox, from the search.
     * Called on the outbox's worker thread.
     *
     * @throws RetriableHandoffException    while no task ticket has that external id yet (the handoff's push may still
     *                                      be pending), on 409/429/5xx and outages (the update after its first attempt)
     * @throws NonRetriableHandoffException on another 4xx ({@code CrmRefusedException}) or an answer without the
     *                                      expected fields
     */
    @Override
    public CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
        Verdict verdict = Verdict.of(name(), context, commitmentId, idempotencyKey);
        String call = "task ticket search";
        JsonNode tickets = get(call, api("tickets.json").addQueryParameter("external_id", verdict.commitmentKey()).build())
                .path("tickets");
        if (!tickets.isArray()) {
            throw new NonRetriableHandoffException(name() + " " + call + " answer has no /tickets array");
        }
        if (tickets.isEmpty()) {
            throw new RetriableHandoffException(name() + " verdict on commitment " + verdict.commitment().id() + " of context "
                    + context.contextId() + ": no task ticket has its external_id yet (the handoff's push may still be pending)");
        }
        JsonNode task = tickets.get(0);
        String ticketId = ticketId(task, call);
        String token = verdict.token();
        for (JsonNode tag : task.path("tags")) {
            if (token.equals(tag.asText())) {
                return receipt(ticketId); // written before: the answer to that write was lost
            }
        }
        ObjectNode body = ContextJson.get().mapper().createObjectNode();
        ObjectNode ticket = body.putObject("ticket");
        ticket.put("status", "solved");
        ticket.putObject("comment").put("body", verdict.text()).put("public", false);
        ticket.putArray("additional_tags").add("handoff_verdict_" + verdict.status()).add(token);
        String update = "task ticket update";
        // one attempt: a comment repeated blindly would be a second comment; the outbox's retry looks for the token first
        JsonNode answer = Json.parse(name(), update, http.executeOnce(CrmRequest.put(api("tickets", ticketId + ".json").build(),
                body.toString())).body());
        return receipt(ticketId(answer.path("ticket"), update));
    }

    private String ticketId(JsonNode ticket, String call) {
        String id = Json.requireText(name(), call, ticket, "/id");
        if (!id.matches("\\d{1,20}")) {
            throw new NonRetriableHandoffException(name() + " " + call + " answer has an /id that is not a ticket number");
        }
        return id;
    }

    private CrmReceipt receipt(String ticketId) {
        return new CrmReceipt(name(), ticketId, base.newBuilder().addPathSegment("agent").addPathSegment("tickets")
                .addPathSegment(ticketId).build().toString());
    }

    private static void applyMapping(ObjectNode ticket, ObjectNode mapped) {
        ArrayNode custom = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = mapped.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(CUSTOM_FIELD_PREFIX)) {
                String id = e.getKey().substring(CUSTOM_FIELD_PREFIX.length());
                if (custom == null) {
                    custom = ticket.putArray("custom_fields");
                }
                ObjectNode field = custom.addObject();
                if (id.matches("\\d{1,20}")) {
                    field.put("id", Long.parseLong(id));
                } else {
                    field.put("id", id);
                }
                field.set("value", e.getValue());
            } else {
                ticket.set(e.getKey(), e.getValue());
            }
        }
    }

    private String create(ObjectNode body, String key, String call) {
        JsonNode answer = Json.parse(name(), call, http.execute(CrmRequest.post(api("tickets.json").build(), body.toString())
                .withIdempotencyKey(key)).body());
        return Json.requireText(name(), call, answer, "/ticket/id");
    }

    private JsonNode get(String call, HttpUrl url) {
        return Json.parse(name(), call, http.execute(CrmRequest.get(url)).body());
    }

    private HttpUrl.Builder api(String... segments) {
        HttpUrl.Builder b = base.newBuilder().addPathSegment("api").addPathSegment("v2");
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b;
    }

    private static String query(CustomerData c) {
        String email = c.fields().get("email");
        if (email != null && !email.isBlank()) {
            return "email:" + email;
        }
        String phone = c.fields().get("phone");
        if (phone != null && !phone.isBlank()) {
            return "phone:" + phone;
        }
        return null;
    }

    private static String priority(Priority p) {
        return switch (p) {
            case URGENT -> "urgent";
            case HIGH -> "high";
            case NORMAL -> "normal";
            case LOW -> "low";
        };
    }

    /** Builds a {@link ZendeskAdapter}. */
    public static final class Builder {
        private final CrmHttpClient http;
        private final String baseUrl;
        private FieldMapping mapping = FieldMapping.empty();
        private Duration verificationWindow = DEFAULT_VERIFICATION_WINDOW;
        private int history = DEFAULT_HISTORY;

        private Builder(CrmHttpClient http, String baseUrl) {
            this.http = Objects.requireNonNull(http, "http");
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** Extra ticket fields from the context ({@code custom_fields.<id>} for custom fields); default none. */
        public Builder mapping(FieldMapping value) {
            this.mapping = Objects.requireNonNull(value, "mapping");
            return this;
        }

        /** When commitment tasks fall due after the handoff; default {@link #DEFAULT_VERIFICATION_WINDOW} (60 s). */
        public Builder verificationWindow(Duration value) {
            Objects.requireNonNull(value, "verificationWindow");
            if (value.isNegative()) {
                throw new IllegalArgumentException("verificationWindow must not be negative, was " + value);
            }
            this.verificationWindow = value;
            return this;
        }

        /** Previous tickets read on lookup, 0..100; default {@link #DEFAULT_HISTORY} (5). */
        public Builder history(int value) {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException("history must be in [0, 100], was " + value);
            }
            this.history = value;
            return this;
        }

        /**
         * The adapter.
         *
         * @return a thread-safe adapter
         * @throws dev.handoff.api.ConfigurationException naming {@code baseUrl} when it is not an http(s) URL, or is
         *                                                plain http on a client without {@code allowInsecureHttpForTesting(true)}
         */
        public ZendeskAdapter build() {
            return new ZendeskAdapter(this, http.requireUrl("baseUrl", baseUrl));
        }
    }
}
