package dev.handoff.codecs.chatwoot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.internal.Input;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRequest;
import dev.handoff.crm.transport.CrmResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * Hands a conversation to Chatwoot's humans through its application API, as a {@link CrmAdapter} so it can ride
 * the durable outbox of handoff-crm-adapters ({@code OutboxDispatcher.builder(outbox).adapter(chatwoot)}) or
 * {@code Handoff.builder().crmAdapter(chatwoot)}. One {@link #push} makes, in order, on
 * {@code /api/v1/accounts/{account}/conversations/{conversation}}:
 * <ol>
 *   <li>{@code POST .../custom_attributes} with {@link ChatwootCodec#customAttributes} (ticket, priority, whisper);</li>
 *   <li>{@code POST .../messages} with {@link ChatwootCodec#privateNote} (whisper, commitments, transcript, ticket);</li>
 *   <li>{@code POST .../assignments} with the team for the context's route hint, when one is configured;</li>
 *   <li>{@code POST .../toggle_status} with {@code {"status":"open"}}, so the conversation leaves the bot's
 *       {@code pending} state.</li>
 * </ol>
 * Every call goes through the given {@link CrmHttpClient} (HTTPS, {@code api_access_token} from its
 * {@code CrmAuth.apiKey("api_access_token", token)}, timeouts, retries with back-off, circuit breaker). The calls
 * are repeatable: a retried push sets the same attributes, assignment and status again; Chatwoot has no idempotency
 * key for messages, so a retry after a lost answer can post the note twice (it names the context id, so a duplicate
 * is recognisable).
 *
 * <p>The Chatwoot conversation comes from {@link Builder#conversationId}; by default it is the number at the end of
 * the Handoff session id ({@code chatwoot-1042} or {@code 1042}). {@link #lookup} finds nothing: Chatwoot's contact
 * is already the conversation's.
 *
 * <p>Why here and not in handoff-crm-adapters: the adapter sends exactly what {@link ChatwootCodec} makes, which
 * needs core's {@code DestinationPackager}; handoff-crm-adapters depends on handoff-api only. This module uses
 * handoff-crm-adapters as an optional dependency for its transport, so codec users who do not call Chatwoot's API
 * pull in no OkHttp.
 *
 * <p>Blocking and thread-safe; called on Handoff's io threads or the outbox dispatcher's.
 */
public final class ChatwootAdapter implements CrmAdapter {

    /** The adapter's name (logs, metrics, the outbox). */
    public static final String NAME = "chatwoot";

    private final CrmHttpClient http;
    private final HttpUrl base;
    private final long accountId;
    private final ChatwootCodec codec;
    private final Map<String, Long> teamsByRoute;
    private final Long defaultTeam;
    private final Function<HandoffContext, String> conversationId;

    private ChatwootAdapter(Builder b) {
        this.http = b.http;
        this.base = b.base;
        this.accountId = b.accountId;
        this.codec = b.codec;
        this.teamsByRoute = Map.copyOf(b.teamsByRoute);
        this.defaultTeam = b.defaultTeam;
        this.conversationId = b.conversationId;
    }

    /**
     * @param http      the transport, with {@code CrmAuth.apiKey("api_access_token", token)}
     * @param baseUrl   the Chatwoot installation ({@code https://app.chatwoot.com})
     * @param accountId the Chatwoot account
     * @param codec     what to send
     * @throws dev.handoff.api.ConfigurationException when the URL is not https (outside the transport's test mode)
     */
    public static Builder builder(CrmHttpClient http, String baseUrl, long accountId, ChatwootCodec codec) {
        return new Builder(http, baseUrl, accountId, codec);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Always empty: the Chatwoot conversation already carries its contact. */
    @Override
    public Optional<CrmProfile> lookup(CustomerData customer) {
        return Optional.empty();
    }

    /**
     * Sets the attributes, posts the note, assigns the team and opens the conversation (see the class comment).
     *
     * @throws ValidationException                          when the conversation id cannot be derived
     * @throws dev.handoff.api.RetriableHandoffException    when Chatwoot stayed unreachable or failing
     * @throws dev.handoff.crm.transport.CrmRefusedException when Chatwoot refused a call (401, 404, 422)
     */
    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String conversation = conversationId.apply(context);
        HttpUrl conv = base.newBuilder().addPathSegments("api/v1/accounts").addPathSegment(Long.toString(accountId))
                .addPathSegment("conversations").addPathSegment(conversation).build();
        PlatformPayload attributes = codec.customAttributes(context);
        http.execute(CrmRequest.post(conv.newBuilder().addPathSegment("custom_attributes").build(), attributes.body())
                .withIdempotencyKey(idempotencyKey + ":attributes"));
        PlatformPayload note = codec.privateNote(context);
        CrmResponse posted = http.execute(CrmRequest.post(conv.newBuilder().addPathSegment("messages").build(), note.body())
                .withIdempotencyKey(idempotencyKey + ":note"));
        Long team = context.metadata().routeHint() == null ? defaultTeam : teamsByRoute.getOrDefault(context.metadata().routeHint(), defaultTeam);
        if (team != null) {
            http.execute(CrmRequest.post(conv.newBuilder().addPathSegment("assignments").build(), ChatwootCodec.assignTeam(team))
                    .withIdempotencyKey(idempotencyKey + ":assign"));
        }
        http.execute(CrmRequest.post(conv.newBuilder().addPathSegment("toggle_status").build(), ChatwootCodec.openStatus())
                .withIdempotencyKey(idempotencyKey + ":status"));
        String noteId = "note";
        try {
            JsonNode answer = Input.MAPPER.readTree(posted.body() == null ? "" : posted.body());
            if (answer != null && answer.path("id").isValueNode()) {
                noteId = answer.get("id").asText();
            }
        } catch (java.io.IOException e) {
            // the note was posted; an unreadable answer only costs the receipt its id
        }
        String url = base.newBuilder().addPathSegments("app/accounts").addPathSegment(Long.toString(accountId))
                .addPathSegment("conversations").addPathSegment(conversation).build().toString();
        return new CrmReceipt(NAME, noteId, url);
    }

    /** The default conversation id: the digits at the end of the session id. */
    static String fromSessionId(HandoffContext context) {
        String session = context.sessionId().value();
        int i = session.length();
        while (i > 0 && Character.isDigit(session.charAt(i - 1))) {
            i--;
        }
        if (i == session.length() || (i > 0 && session.charAt(i - 1) != '-' && session.charAt(i - 1) != ':')) {
            throw new ValidationException("Chatwoot conversation id", List.of(new Violation("$.sessionId", Input.clean(session),
                    "a session id ending in the Chatwoot conversation number (\"chatwoot-1042\" or \"1042\"), or set conversationId(...)")));
        }
        return session.substring(i);
    }

    /** Options. */
    public static final class Builder {
        private final CrmHttpClient http;
        private final HttpUrl base;
        private final long accountId;
        private final ChatwootCodec codec;
        private final Map<String, Long> teamsByRoute = new HashMap<>();
        private Long defaultTeam;
        private Function<HandoffContext, String> conversationId = ChatwootAdapter::fromSessionId;

        private Builder(CrmHttpClient http, String baseUrl, long accountId, ChatwootCodec codec) {
            this.http = Objects.requireNonNull(http, "http");
            this.codec = Objects.requireNonNull(codec, "codec");
            this.base = http.requireUrl("baseUrl", baseUrl);
            if (accountId < 1) {
                throw new IllegalArgumentException("accountId must be a positive Chatwoot account id, was " + accountId);
            }
            this.accountId = accountId;
        }

        /** The team for contexts whose route hint is {@code routeHint} ("billing" → team 4). */
        public Builder teamForRoute(String routeHint, long teamId) {
            teamsByRoute.put(Objects.requireNonNull(routeHint, "routeHint"), positive(teamId));
            return this;
        }

        /** The team for every other context; default none (no assignment call; Chatwoot's auto-assignment applies). */
        public Builder defaultTeam(long teamId) {
            this.defaultTeam = positive(teamId);
            return this;
        }

        /** Finds the Chatwoot conversation id of a context; default: the digits at the end of the session id. */
        public Builder conversationId(Function<HandoffContext, String> value) {
            this.conversationId = Objects.requireNonNull(value, "conversationId");
            return this;
        }

        /**
         * The adapter.
         *
         * @return a thread-safe adapter
         */
        public ChatwootAdapter build() {
            return new ChatwootAdapter(this);
        }

        private static long positive(long id) {
            if (id < 1) {
                throw new IllegalArgumentException("team id must be positive, was " + id);
            }
            return id;
        }
    }
}
