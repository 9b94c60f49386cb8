package dev.handoff.crm.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.json.ContextJson;
import dev.handoff.crm.mapping.FieldMapping;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRefusedException;
import dev.handoff.crm.transport.CrmRequest;
import dev.handoff.crm.transport.CrmResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * A generic CRM: POSTs the handoff as signed JSON to one or more configured URLs.
 *
 * <p>Each delivery carries {@code Content-Type: application/json}, {@code Handoff-Event: handoff.context},
 * {@code Idempotency-Key} (the same on every retry, so a receiver drops repeats) and {@code Handoff-Signature:
 * t=<unix>,v1=<hex>} (one v1 per secret, so keys can rotate; verify with {@link WebhookVerifier}). The body is
 * the canonical context JSON ({@code handoff.context/v1}), or, when a {@link FieldMapping} is set, the flat
 * object that mapping produces. The commitments travel inside the body as the {@code commitments} array, each a
 * distinct object with its own id and {@code PENDING_VERIFICATION} status; a human's verdict on one of them later
 * comes as its own delivery ({@link #pushVerdict}, event {@value #EVENT_COMMITMENT}).
 *
 * <p>{@link #push} succeeds only when every URL answered 2xx; a retry re-sends to all of them with the same key.
 * {@link #lookup} POSTs {@code {"customer": ...}} (signed the same way) to the optional lookup URL and reads a
 * {@link CrmProfile} from a 200, or empty from a 404 or when no lookup URL is configured.
 *
 * <p>Both methods block; call them on worker threads (the durable outbox does).
 */
public final class WebhookAdapter implements CrmAdapter {

    /** The event header's name. */
    public static final String EVENT_HEADER = "Handoff-Event";
    /** The event name of a handoff delivery. */
    public static final String EVENT_CONTEXT = "handoff.context";
    /** The event name of a human's verdict on one commitment ({@link #pushVerdict}). */
    public static final String EVENT_COMMITMENT = "handoff.commitment";
    /** The header naming the commitment a {@value #EVENT_COMMITMENT} delivery is about. */
    public static final String COMMITMENT_HEADER = "Handoff-Commitment";
    /** The event name of a lookup. */
    public static final String EVENT_LOOKUP = "handoff.lookup";

    private final CrmHttpClient http;
    private final List<HttpUrl> endpoints;
    private final HttpUrl lookupUrl;
    private final WebhookSigner signer;
    private final FieldMapping mapping;

    private WebhookAdapter(Builder b, List<HttpUrl> endpoints, HttpUrl lookupUrl) {
        this.http = b.http;
        this.endpoints = List.copyOf(endpoints);
        this.lookupUrl = lookupUrl;
        this.signer = new WebhookSigner(b.secrets, b.clock);
        this.mapping = b.mapping;
    }

    /** @param http the transport (retries, timeouts, breaker); its system name is this adapter's name */
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
        if (lookupUrl == null) {
            return Optional.empty();
        }
        String body = ContextJson.get().mapper().createObjectNode().set("customer", ContextJson.get().mapper().valueToTree(customer)).toString();
        CrmResponse response;
        try {
            response = http.execute(signed(CrmRequest.post(lookupUrl, body), EVENT_LOOKUP));
        } catch (CrmRefusedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        if (response.code() == 204 || response.body().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ContextJson.get().mapper().readerFor(CrmProfile.class)
                    // a vendor's profile may carry fields we do not know
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(response.body()));
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException(name() + " lookup answer from " + lookupUrl.encodedPath()
                    + " is not a CRM profile: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        return deliver(context, idempotencyKey, EVENT_CONTEXT, null);
    }

    /**
     * Sends the context again as event {@value #EVENT_COMMITMENT} with header {@value #COMMITMENT_HEADER} naming the
     * commitment; in the body's {@code commitments} array that commitment carries the human's verdict ({@code status}
     * {@code CONFIRMED}, {@code CORRECTED} with {@code correctedValue}, or {@code REVOKED}, with {@code verifiedBy} and
     * {@code verifiedAt}). The idempotency key is the verdict's own: a receiver updates the commitment it filed.
     */
    @Override
    public CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
        return deliver(context, idempotencyKey, EVENT_COMMITMENT, Objects.requireNonNull(commitmentId, "commitmentId"));
    }

    private CrmReceipt deliver(HandoffContext context, String idempotencyKey, String event, String commitmentId) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String body;
        if (mapping.isEmpty()) {
            body = ContextJson.get().writeString(context);
        } else {
            JsonNode mapped = mapping.apply(context);
            body = mapped.toString();
        }
        for (HttpUrl endpoint : endpoints) {
            CrmRequest request = signed(CrmRequest.post(endpoint, body), event).withIdempotencyKey(idempotencyKey);
            http.execute(commitmentId == null ? request : request.withHeader(COMMITMENT_HEADER, commitmentId));
        }
        return new CrmReceipt(name(), idempotencyKey, null);
    }

    private CrmRequest signed(CrmRequest request, String event) {
        return request.withHeader(EVENT_HEADER, event)
                .withSigner(bytes -> Map.of(WebhookSigner.HEADER, signer.sign(bytes)));
    }

    /** The URLs a push goes to. */
    public List<HttpUrl> endpoints() {
        return endpoints;
    }

    /** Builds a {@link WebhookAdapter}. */
    public static final class Builder {
        private final CrmHttpClient http;
        private final List<String> rawEndpoints = new ArrayList<>();
        private final List<String> secrets = new ArrayList<>();
        private String rawLookupUrl;
        private FieldMapping mapping = FieldMapping.empty();
        private Clock clock = Clock.systemUTC();

        private Builder(CrmHttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
        }

        /** Adds a URL every handoff is POSTed to (https unless the transport is in test mode). At least one. */
        public Builder endpoint(String url) {
            rawEndpoints.add(Objects.requireNonNull(url, "endpoint"));
            return this;
        }

        /** The optional URL lookups are POSTed to; default none (lookup returns empty). */
        public Builder lookupUrl(String url) {
            this.rawLookupUrl = Objects.requireNonNull(url, "lookupUrl");
            return this;
        }

        /** Adds a signing secret (at least 16 bytes); the current one first. At least one. */
        public Builder secret(String value) {
            WebhookSigner.secretBytes(value, "secret");
            secrets.add(value);
            return this;
        }

        /** Sends the mapped fields instead of the full context; default none (the full context). */
        public Builder mapping(FieldMapping value) {
            this.mapping = Objects.requireNonNull(value, "mapping");
            return this;
        }

        /** Where signature timestamps come from; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The adapter.
         *
         * @return a thread-safe adapter
         * @throws IllegalStateException when no endpoint or no signing secret was given
         * @throws dev.handoff.api.ConfigurationException naming the endpoint or {@code lookupUrl} that is not an http(s) URL,
         *                                                or is plain http on a client without {@code allowInsecureHttpForTesting(true)}
         */
        public WebhookAdapter build() {
            if (rawEndpoints.isEmpty()) {
                throw new IllegalStateException("a webhook adapter needs at least one endpoint");
            }
            if (secrets.isEmpty()) {
                throw new IllegalStateException("a webhook adapter needs at least one signing secret");
            }
            List<HttpUrl> urls = new ArrayList<>();
            for (int i = 0; i < rawEndpoints.size(); i++) {
                urls.add(http.requireUrl("endpoint[" + i + "]", rawEndpoints.get(i)));
            }
            HttpUrl lookup = rawLookupUrl == null ? null : http.requireUrl("lookupUrl", rawLookupUrl);
            return new WebhookAdapter(this, urls, lookup);
        }
    }
}
