package dev.handoff.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Channel;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Salesforce over the REST API ({@code /services/data/vXX.X}).
 *
 * <ul>
 *   <li>{@link #lookup}: {@code GET .../query?q=} with SOQL {@code SELECT Id, Name, Email, Phone, AccountId,
 *       Account.Name FROM Contact WHERE <Id | Email | Phone> = '...' LIMIT 1} (by account id
 *       {@code "salesforce"}, else the {@code email} field, else {@code phone}; literals escaped), then
 *       {@code SELECT Id, CaseNumber, Subject, Status, Origin, CreatedDate FROM Case WHERE ContactId = '...'
 *       ORDER BY CreatedDate DESC LIMIT n} for the previous interactions.</li>
 *   <li>{@link #push}: a Case ({@code POST .../sobjects/Case} with Subject, Description, Origin Phone/Chat,
 *       Priority High/Medium/Low, Status New, ContactId, AccountId and the mapped fields), then one Task per
 *       commitment ({@code POST .../sobjects/Task}: Subject "Verify AI commitment: ...", WhatId = the Case,
 *       WhoId = the contact, Status "Not Started", Priority High for a hard promise, ActivityDate the handoff's
 *       UTC date).</li>
 *   <li>{@link #pushVerdict} (needs {@link Builder#externalIdField(String)}): an upsert of the commitment's Task by
 *       the key the push gave it, {@code PATCH .../sobjects/Task/<field>/<push key>:<commitment id>} with Status
 *       "Completed", Subject "AI commitment CORRECTED: ..." and the verdict as Description.</li>
 * </ul>
 *
 * <p>Idempotency: with {@link Builder#externalIdField(String)} (a custom External ID field present on Case and
 * Task, such as {@code Handoff_Key__c}) every create becomes an upsert, {@code PATCH
 * .../sobjects/Case/Handoff_Key__c/<key>}, so a repeated push updates instead of duplicating. Without it a
 * push repeated after a lost answer can create a second Case. Authenticate with an
 * {@link dev.handoff.crm.auth.OAuth2TokenSource} (client-credentials flow against
 * {@code /services/oauth2/token}; Salesforce tokens carry no expiry, so they are refreshed on 401).
 */
public final class SalesforceAdapter implements CrmAdapter {

    /** Default API version: {@code v60.0}. */
    public static final String DEFAULT_API_VERSION = "v60.0";
    /** Default number of previous cases read on lookup: 5. */
    public static final int DEFAULT_HISTORY = 5;

    private static final Pattern SF_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
    private static final Pattern API_VERSION = Pattern.compile("v\\d{2,3}\\.\\d");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final CrmHttpClient http;
    private final HttpUrl instance;
    private final String apiVersion;
    private final FieldMapping mapping;
    private final String externalIdField;
    private final int history;

    private SalesforceAdapter(Builder b, HttpUrl instance) {
        this.http = b.http;
        this.instance = instance;
        this.apiVersion = b.apiVersion;
        this.mapping = b.mapping;
        this.externalIdField = b.externalIdField;
        this.history = b.history;
    }

    /**
     * @param http        the transport; its auth carries the OAuth2 source
     * @param instanceUrl the org's My Domain URL ({@code https://acme.my.salesforce.com})
     */
    public static Builder builder(CrmHttpClient http, String instanceUrl) {
        return new Builder(http, instanceUrl);
    }

    @Override
    public String name() {
        return http.system();
    }

    @Override
    public Optional<CrmProfile> lookup(CustomerData customer) {
        Objects.requireNonNull(customer, "customer");
        String where = where(customer);
        if (where == null) {
            return Optional.empty();
        }
        JsonNode answer = query("contact query", "SELECT Id, Name, Email, Phone, AccountId, Account.Name FROM Contact WHERE "
                + where + " LIMIT 1");
        JsonNode records = answer.path("records");
        if (!records.isArray() || records.isEmpty()) {
            return Optional.empty();
        }
        JsonNode contact = records.get(0);
        String id = Json.requireText(name(), "contact query", contact, "/Id");
        Map<String, String> attributes = new LinkedHashMap<>();
        putIfPresent(attributes, "email", Json.text(contact, "Email"));
        putIfPresent(attributes, "phone", Json.text(contact, "Phone"));
        putIfPresent(attributes, "accountId", Json.text(contact, "AccountId"));
        putIfPresent(attributes, "accountName", Json.text(contact.path("Account"), "Name"));
        return Optional.of(new CrmProfile(name(), id, Json.text(contact, "Name"), attributes, interactions(id)));
    }

    private List<CrmProfile.Interaction> interactions(String contactId) {
        if (history == 0) {
            return List.of();
        }
        JsonNode answer = query("case query", "SELECT Id, CaseNumber, Subject, Status, Origin, CreatedDate FROM Case WHERE ContactId = '"
                + contactId + "' ORDER BY CreatedDate DESC LIMIT " + history);
        List<CrmProfile.Interaction> out = new ArrayList<>();
        for (JsonNode c : answer.path("records")) {
            var at = Json.instant(Json.text(c, "CreatedDate"));
            if (at == null) {
                continue;
            }
            String origin = Json.text(c, "Origin");
            out.add(new CrmProfile.Interaction(at, origin == null ? null : origin.toLowerCase(java.util.Locale.ROOT),
                    "Case " + Json.text(c, "CaseNumber") + ": " + Json.text(c, "Subject"), Json.text(c, "Status")));
        }
        return out;
    }

    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String contactId = null;
        String accountId = null;
        CrmProfile profile = context.crmProfile() != null && context.crmProfile().system().equals(name()) ? context.crmProfile()
                : lookup(context.customer()).orElse(null);
        if (profile != null) {
            contactId = profile.recordId();
            accountId = profile.attributes().get("accountId");
        }
        ObjectNode kase = ContextJson.get().mapper().createObjectNode();
        kase.put("Subject", ContextText.subject(context, 255));
        kase.put("Description", ContextText.cut(ContextText.body(context) + "Handoff key: " + idempotencyKey, 32000));
        kase.put("Origin", context.channel() == Channel.VOICE ? "Phone" : "Chat");
        kase.put("Priority", priority(context.metadata().priority()));
        kase.put("Status", "New");
        if (contactId != null) {
            kase.put("ContactId", contactId);
        }
        if (accountId != null) {
            kase.put("AccountId", accountId);
        }
        kase.setAll(mapping.apply(context));
        String caseId = create("Case", kase, idempotencyKey);
        for (Commitment k : context.commitments()) {
            ObjectNode task = ContextJson.get().mapper().createObjectNode();
            task.put("Subject", ContextText.commitmentSubject(k, 255));
            task.put("Description", ContextText.commitmentBody(context, k));
            task.put("WhatId", caseId);
            if (contactId != null) {
                task.put("WhoId", contactId);
            }
            task.put("Status", k.status() == Commitment.Status.PENDING_VERIFICATION ? "Not Started" : "Completed");
            task.put("Priority", k.strength() == Commitment.Strength.HARD ? "High" : "Normal");
            task.put("ActivityDate", context.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString());
            create("Task", task, idempotencyKey + ":" + k.id());
        }
        return new CrmReceipt(name(), caseId, instance.newBuilder().encodedPath("/lightning/r/Case/" + caseId + "/view").build().toString());
    }

    /**
     * Writes a human's verdict onto the commitment's Task by an upsert on the External ID field: {@code PATCH
     * .../sobjects/Task/<externalIdField>/<push key>:<commitment id>} with {@code Status} "Completed", {@code Subject}
     * ({@link Verdict#subject}: "AI commitment CORRECTED: DISCOUNT 15% -> a $5 credit") and {@code Description} (the
     * verdict, {@link Verdict#text()}: no transcript text, so the AI's words the push wrote there are replaced). The same
     * PATCH repeated sets the same values: a retry never makes a second record. Called on the outbox's worker thread.
     *
     * @throws NonRetriableHandoffException without {@code externalIdField} (the Task cannot be found by its key), on a
     *                                      4xx other than 409/429 ({@code CrmRefusedException}), {@code success=false} or
     *                                      an answer without {@code id}
     * @throws dev.handoff.api.RetriableHandoffException on 409/429/5xx and outages
     */
    @Override
    public CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
        Verdict verdict = Verdict.of(name(), context, commitmentId, idempotencyKey);
        if (externalIdField == null) {
            throw new NonRetriableHandoffException(name() + " cannot write the verdict on commitment " + verdict.commitment().id()
                    + " of context " + context.contextId() + ": externalIdField is not set; expected an External ID field on"
                    + " Task (such as Handoff_Key__c) to find the commitment's Task by its key");
        }
        ObjectNode task = ContextJson.get().mapper().createObjectNode();
        task.put("Status", "Completed");
        task.put("Subject", verdict.subject(255));
        task.put("Description", verdict.text());
        String taskId = write("Task", task, verdict.commitmentKey(), idempotencyKey, "Task verdict upsert");
        return new CrmReceipt(name(), taskId, instance.newBuilder().encodedPath("/lightning/r/Task/" + taskId + "/view").build()
                .toString());
    }

    private String create(String sobject, ObjectNode body, String key) {
        return write(sobject, body, key, key, sobject + " create");
    }

    /** A create, or with {@code externalIdField} an upsert by {@code externalKey}; the sObject's id from the answer. */
    private String write(String sobject, ObjectNode body, String externalKey, String idempotencyKey, String call) {
        CrmRequest request;
        if (externalIdField != null) {
            request = CrmRequest.patch(data().addPathSegment("sobjects").addPathSegment(sobject).addPathSegment(externalIdField)
                    .addPathSegment(externalKey).build(), body.toString());
        } else {
            request = CrmRequest.post(data().addPathSegment("sobjects").addPathSegment(sobject).build(), body.toString());
        }
        JsonNode answer = Json.parse(name(), call, http.execute(request.withIdempotencyKey(idempotencyKey)).body());
        if (answer.has("success") && !answer.path("success").asBoolean()) {
            // the errors' messages may echo the request (a customer's data): only their plain status codes are kept
            List<String> codes = new ArrayList<>();
            for (JsonNode error : answer.path("errors")) {
                String code = Json.text(error, "statusCode");
                if (code != null && code.matches("[A-Z_]{1,64}")) {
                    codes.add(code);
                }
            }
            throw new NonRetriableHandoffException(name() + " " + call + " reported success=false" + (codes.isEmpty() ? ""
                    : " (" + String.join(", ", codes) + ")"));
        }
        return Json.requireText(name(), call, answer, "/id");
    }

    private JsonNode query(String call, String soql) {
        HttpUrl url = data().addPathSegment("query").addQueryParameter("q", soql).build();
        return Json.parse(name(), call, http.execute(CrmRequest.get(url)).body());
    }

    private HttpUrl.Builder data() {
        return instance.newBuilder().addPathSegment("services").addPathSegment("data").addPathSegment(apiVersion);
    }

    private String where(CustomerData c) {
        String id = c.accountIds().get("salesforce");
        if (id != null && SF_ID.matcher(id).matches()) {
            return "Id = '" + id + "'";
        }
        String email = c.fields().get("email");
        if (email != null && !email.isBlank()) {
            return "Email = '" + soqlLiteral(email) + "'";
        }
        String phone = c.fields().get("phone");
        if (phone != null && !phone.isBlank()) {
            return "Phone = '" + soqlLiteral(phone) + "'";
        }
        return null;
    }

    /** Escapes a value for a single-quoted SOQL string literal. */
    static String soqlLiteral(String value) {
        StringBuilder b = new StringBuilder();
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String priority(Priority p) {
        return switch (p) {
            case URGENT, HIGH -> "High";
            case NORMAL -> "Medium";
            case LOW -> "Low";
        };
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    /** Builds a {@link SalesforceAdapter}. */
    public static final class Builder {
        private final CrmHttpClient http;
        private final String instanceUrl;
        private String apiVersion = DEFAULT_API_VERSION;
        private FieldMapping mapping = FieldMapping.empty();
        private String externalIdField;
        private int history = DEFAULT_HISTORY;

        private Builder(CrmHttpClient http, String instanceUrl) {
            this.http = Objects.requireNonNull(http, "http");
            this.instanceUrl = Objects.requireNonNull(instanceUrl, "instanceUrl");
        }

        /** Default {@link #DEFAULT_API_VERSION}. */
        public Builder apiVersion(String value) {
            Objects.requireNonNull(value, "apiVersion");
            if (!API_VERSION.matcher(value).matches()) {
                throw new IllegalArgumentException("apiVersion must look like v60.0, was \"" + value + "\"");
            }
            this.apiVersion = value;
            return this;
        }

        /** Extra Case fields from the context; default none. */
        public Builder mapping(FieldMapping value) {
            this.mapping = Objects.requireNonNull(value, "mapping");
            return this;
        }

        /** An External ID field on Case and Task to upsert by the idempotency key; default none (plain create). */
        public Builder externalIdField(String value) {
            Objects.requireNonNull(value, "externalIdField");
            if (!FIELD.matcher(value).matches()) {
                throw new IllegalArgumentException("externalIdField must be a field API name such as Handoff_Key__c, was \""
                        + value + "\"");
            }
            this.externalIdField = value;
            return this;
        }

        /** Previous cases read on lookup, 0..200; default {@link #DEFAULT_HISTORY} (5). */
        public Builder history(int value) {
            if (value < 0 || value > 200) {
                throw new IllegalArgumentException("history must be in [0, 200], was " + value);
            }
            this.history = value;
            return this;
        }

        /**
         * The adapter.
         *
         * @return a thread-safe adapter
         * @throws dev.handoff.api.ConfigurationException naming {@code instanceUrl} when it is not an http(s) URL, or is
         *                                                plain http on a client without {@code allowInsecureHttpForTesting(true)}
         */
        public SalesforceAdapter build() {
            return new SalesforceAdapter(this, http.requireUrl("instanceUrl", instanceUrl));
        }
    }
}
