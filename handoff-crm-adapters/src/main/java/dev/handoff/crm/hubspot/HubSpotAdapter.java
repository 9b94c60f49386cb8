package dev.handoff.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.Priority;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * HubSpot over the CRM v3 object APIs.
 *
 * <ul>
 *   <li>{@link #lookup}: {@code POST /crm/v3/objects/contacts/search} with one {@code EQ} filter on
 *       {@code hs_object_id} (account id {@code "hubspot"}), else {@code email}, else {@code phone} (from the
 *       customer's collected fields); then {@code POST /crm/v3/objects/notes/search} filtered on
 *       {@code associations.contact}, newest first, for the previous interactions.</li>
 *   <li>{@link #push}: {@code POST /crm/v3/objects/notes} with {@code hs_timestamp}, {@code hs_note_body} (the
 *       whisper, reasons, commitments and transcript as HTML) and the mapped fields, associated to the contact
 *       with the HubSpot-defined note-to-contact type {@value #NOTE_TO_CONTACT}; then one
 *       {@code POST /crm/v3/objects/tasks} per commitment (subject "Verify AI commitment: ...", status
 *       {@code NOT_STARTED} while pending, priority HIGH for a hard promise, due at the end of the verification
 *       window), associated with task-to-contact type {@value #TASK_TO_CONTACT}.</li>
 * </ul>
 *
 * <p>The contact is the context's CRM profile when it came from HubSpot, else a fresh lookup; with no contact
 * the note and tasks are created unassociated. HubSpot has no idempotency keys on these endpoints: the key is
 * sent as {@code Idempotency-Key} and written into the note, but a push repeated after a lost answer can create
 * a second note. Authenticate with {@code CrmAuth.bearer(privateAppToken)} or an
 * {@link dev.handoff.crm.auth.OAuth2TokenSource} refresh-token grant against {@code /oauth/v1/token}.
 */
public final class HubSpotAdapter implements CrmAdapter {

    /** Default API base: {@code https://api.hubapi.com}. */
    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    /** HubSpot-defined association type note to contact. */
    public static final int NOTE_TO_CONTACT = 202;
    /** HubSpot-defined association type task to contact. */
    public static final int TASK_TO_CONTACT = 204;
    /** Default verification window (task due time after the handoff): 60 s. */
    public static final Duration DEFAULT_VERIFICATION_WINDOW = Duration.ofSeconds(60);
    /** Default number of previous notes read on lookup: 5. */
    public static final int DEFAULT_HISTORY = 5;

    private static final List<String> CONTACT_PROPERTIES = List.of("email", "firstname", "lastname", "phone", "company",
            "lifecyclestage", "hubspot_owner_id");

    private final CrmHttpClient http;
    private final HttpUrl base;
    private final FieldMapping mapping;
    private final Duration verificationWindow;
    private final String portalId;
    private final int history;

    private HubSpotAdapter(Builder b, HttpUrl base) {
        this.http = b.http;
        this.base = base;
        this.mapping = b.mapping;
        this.verificationWindow = b.verificationWindow;
        this.portalId = b.portalId;
        this.history = b.history;
    }

    /** @param http the transport; its auth carries the private-app token or OAuth2 source */
    public static Builder builder(CrmHttpClient http) {
        return new Builder(http);
    }

    @Override
    public String name() {
        return http.system();
    }

    @Override
    public Optional<CrmProfile> lookup(CustomerData customer) {
        Objects.requireNonNull(customer, "customer");
        String[] filter = identify(customer);
        if (filter == null) {
            return Optional.empty();
        }
        ObjectNode body = ContextJson.get().mapper().createObjectNode();
        body.putArray("filterGroups").addObject().putArray("filters").addObject()
                .put("propertyName", filter[0]).put("operator", "EQ").put("value", filter[1]);
        ArrayNode props = body.putArray("properties");
        CONTACT_PROPERTIES.forEach(props::add);
        body.put("limit", 1);
        String call = "contact search";
        JsonNode answer = Json.parse(name(), call, http.execute(CrmRequest.post(url("crm", "v3", "objects", "contacts", "search"),
                body.toString())).body());
        JsonNode results = answer.path("results");
        if (!results.isArray() || results.isEmpty()) {
            return Optional.empty();
        }
        JsonNode contact = results.get(0);
        String id = Json.requireText(name(), call, contact, "/id");
        JsonNode p = contact.path("properties");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String key : CONTACT_PROPERTIES) {
            String v = Json.text(p, key);
            if (v != null && !v.isBlank() && !key.equals("firstname") && !key.equals("lastname")) {
                attributes.put(key, v);
            }
        }
        String first = Json.text(p, "firstname");
        String last = Json.text(p, "lastname");
        String display = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        return Optional.of(new CrmProfile(name(), id, display.isEmpty() ? null : display, attributes, interactions(id)));
    }

    private List<CrmProfile.Interaction> interactions(String contactId) {
        if (history == 0) {
            return List.of();
        }
        ObjectNode body = ContextJson.get().mapper().createObjectNode();
        body.putArray("filterGroups").addObject().putArray("filters").addObject()
                .put("propertyName", "associations.contact").put("operator", "EQ").put("value", contactId);
        body.putArray("sorts").addObject().put("propertyName", "hs_timestamp").put("direction", "DESCENDING");
        body.putArray("properties").add("hs_note_body").add("hs_timestamp");
        body.put("limit", history);
        JsonNode answer = Json.parse(name(), "note search", http.execute(CrmRequest.post(url("crm", "v3", "objects", "notes", "search"),
                body.toString())).body());
        List<CrmProfile.Interaction> out = new ArrayList<>();
        for (JsonNode note : answer.path("results")) {
            JsonNode p = note.path("properties");
            var at = Json.instant(Json.text(p, "hs_timestamp"));
            if (at == null) {
                continue;
            }
            String text = Json.text(p, "hs_note_body");
            String summary = text == null ? null : ContextText.cut(text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim(), 140);
            out.add(new CrmProfile.Interaction(at, "note", summary, null));
        }
        return out;
    }

    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String contactId = contactId(context);
        ObjectNode note = ContextJson.get().mapper().createObjectNode();
        ObjectNode props = note.putObject("properties");
        props.put("hs_timestamp", context.createdAt().toString());
        props.put("hs_note_body", ContextText.html(ContextText.body(context) + "Handoff key: " + idempotencyKey));
        props.setAll(mapping.apply(context));
        associate(note, contactId, NOTE_TO_CONTACT);
        JsonNode created = Json.parse(name(), "note create", http.execute(CrmRequest.post(url("crm", "v3", "objects", "notes"),
                note.toString()).withIdempotencyKey(idempotencyKey)).body());
        String noteId = Json.requireText(name(), "note create", created, "/id");
        for (Commitment k : context.commitments()) {
            ObjectNode task = ContextJson.get().mapper().createObjectNode();
            ObjectNode tp = task.putObject("properties");
            tp.put("hs_timestamp", context.createdAt().plus(verificationWindow).toString());
            tp.put("hs_task_subject", ContextText.commitmentSubject(k, 250));
            tp.put("hs_task_body", ContextText.html(ContextText.commitmentBody(context, k)));
            tp.put("hs_task_status", k.status() == Commitment.Status.PENDING_VERIFICATION ? "NOT_STARTED" : "COMPLETED");
            tp.put("hs_task_priority", k.strength() == Commitment.Strength.HARD || context.metadata().priority().compareTo(Priority.HIGH) >= 0
                    ? "HIGH" : "MEDIUM");
            tp.put("hs_task_type", "TODO");
            associate(task, contactId, TASK_TO_CONTACT);
            http.execute(CrmRequest.post(url("crm", "v3", "objects", "tasks"), task.toString())
                    .withIdempotencyKey(idempotencyKey + ":" + k.id()));
        }
        return new CrmReceipt(name(), noteId, link(contactId));
    }

    /**
     * Writes a human's verdict on one commitment as its own note on the contact: first {@code POST
     * /crm/v3/objects/notes/search} with one {@code CONTAINS_TOKEN} filter on {@code hs_note_body} for the verdict's token
     * (HubSpot has no idempotency keys, so the token in the note is how a repeat finds the note it wrote); when none is
     * found, {@code POST /crm/v3/objects/notes} with {@code hs_timestamp} = when the human gave the verdict and
     * {@code hs_note_body} = the verdict ({@link Verdict#text()}: no transcript text; a correction with its corrected
     * value) and the token, associated to the contact with type {@value #NOTE_TO_CONTACT}, in one attempt
     * ({@link CrmHttpClient#executeOnce}: the outbox retries, from the search). Called on the outbox's worker thread.
     *
     * @throws NonRetriableHandoffException on a 4xx other than 409/429 ({@code CrmRefusedException}) or an answer without
     *                                      the expected fields
     * @throws dev.handoff.api.RetriableHandoffException on 409/429/5xx and outages (the note create after its first attempt)
     */
    @Override
    public CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
        Verdict verdict = Verdict.of(name(), context, commitmentId, idempotencyKey);
        String token = verdict.token();
        ObjectNode search = ContextJson.get().mapper().createObjectNode();
        search.putArray("filterGroups").addObject().putArray("filters").addObject()
                .put("propertyName", "hs_note_body").put("operator", "CONTAINS_TOKEN").put("value", token);
        search.putArray("properties").add("hs_timestamp");
        search.put("limit", 1);
        String call = "verdict note search";
        JsonNode results = Json.parse(name(), call, http.execute(CrmRequest.post(url("crm", "v3", "objects", "notes", "search"),
                search.toString())).body()).path("results");
        if (!results.isArray()) {
            throw new NonRetriableHandoffException(name() + " " + call + " answer has no /results array");
        }
        if (!results.isEmpty()) {
            return new CrmReceipt(name(), Json.requireText(name(), call, results.get(0), "/id"), null); // written before
        }
        String contactId = contactId(context);
        ObjectNode note = ContextJson.get().mapper().createObjectNode();
        ObjectNode props = note.putObject("properties");
        Commitment k = verdict.commitment();
        props.put("hs_timestamp", (k.verifiedAt() == null ? context.createdAt() : k.verifiedAt()).toString());
        props.put("hs_note_body", ContextText.html(verdict.text() + "Ref: " + token));
        associate(note, contactId, NOTE_TO_CONTACT);
        // one attempt: a note repeated blindly would be a second note; the outbox's retry searches for the token first
        JsonNode created = Json.parse(name(), "verdict note create", http.executeOnce(CrmRequest.post(url("crm", "v3", "objects", "notes"),
                note.toString()).withIdempotencyKey(idempotencyKey)).body());
        return new CrmReceipt(name(), Json.requireText(name(), "verdict note create", created, "/id"), link(contactId));
    }

    private String link(String contactId) {
        return portalId == null || contactId == null ? null : "https://app.hubspot.com/contacts/" + portalId + "/record/0-1/" + contactId;
    }

    private String contactId(HandoffContext context) {
        if (context.crmProfile() != null && context.crmProfile().system().equals(name())) {
            return context.crmProfile().recordId();
        }
        return lookup(context.customer()).map(CrmProfile::recordId).orElse(null);
    }

    private static void associate(ObjectNode object, String contactId, int type) {
        if (contactId == null) {
            return;
        }
        ObjectNode a = object.putArray("associations").addObject();
        a.putObject("to").put("id", contactId);
        a.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", type);
    }

    private String[] identify(CustomerData c) {
        String id = c.accountIds().get("hubspot");
        if (id != null && !id.isBlank()) {
            return new String[] {"hs_object_id", id};
        }
        String email = c.fields().get("email");
        if (email != null && !email.isBlank()) {
            return new String[] {"email", email};
        }
        String phone = c.fields().get("phone");
        if (phone != null && !phone.isBlank()) {
            return new String[] {"phone", phone};
        }
        return null;
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    /** Builds a {@link HubSpotAdapter}. */
    public static final class Builder {
        private final CrmHttpClient http;
        private String baseUrl = DEFAULT_BASE_URL;
        private FieldMapping mapping = FieldMapping.empty();
        private Duration verificationWindow = DEFAULT_VERIFICATION_WINDOW;
        private String portalId;
        private int history = DEFAULT_HISTORY;

        private Builder(CrmHttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
        }

        /** Default {@link #DEFAULT_BASE_URL}. */
        public Builder baseUrl(String value) {
            this.baseUrl = Objects.requireNonNull(value, "baseUrl");
            return this;
        }

        /** Extra note properties from the context; default none. */
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

        /** The HubSpot account (hub) id, to put a contact link in the receipt; default none (no link). */
        public Builder portalId(String value) {
            Objects.requireNonNull(value, "portalId");
            if (!value.matches("\\d{1,20}")) {
                throw new IllegalArgumentException("portalId must be digits, was \"" + value + "\"");
            }
            this.portalId = value;
            return this;
        }

        /** Previous notes read on lookup, 0..100; default {@link #DEFAULT_HISTORY} (5). */
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
        public HubSpotAdapter build() {
            return new HubSpotAdapter(this, http.requireUrl("baseUrl", baseUrl));
        }
    }
}
