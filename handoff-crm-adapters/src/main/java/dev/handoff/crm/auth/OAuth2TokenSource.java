package dev.handoff.crm.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 access tokens for a CRM, by the client-credentials grant or the refresh-token grant (RFC 6749
 * sections 4.4 and 6).
 *
 * <p>Lifecycle: the first request fetches a token; a token is refreshed {@link Builder#skew(Duration) skew}
 * before it expires (default {@value #DEFAULT_SKEW_SECONDS} s, measured on the injected {@link Clock}); when
 * many threads find the token expired at once exactly one of them calls the token endpoint and the others
 * wait for its result; after a 401 the token is refreshed once (unless another thread already replaced it) and
 * the request is repeated once. A token without {@code expires_in} (Salesforce) is kept until a 401. A rotated
 * {@code refresh_token} in a response replaces the old one.
 *
 * <p>Tokens, client secrets and refresh tokens are never logged and never appear in exception messages;
 * {@link #toString()} shows only the endpoint and the grant.
 */
public final class OAuth2TokenSource implements CrmAuth {

    /** Default refresh-ahead margin, in seconds: 60. */
    public static final long DEFAULT_SKEW_SECONDS = 60;
    /** Default refresh-ahead margin: 60 s. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(DEFAULT_SKEW_SECONDS);
    /** Default timeout of one token request: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** How the client authenticates to the token endpoint. */
    public enum ClientAuthentication {
        /** {@code client_id} and {@code client_secret} in the form body (HubSpot, Salesforce, Zendesk). */
        POST_BODY,
        /** HTTP Basic with the client id and secret (RFC 6749 section 2.3.1). */
        BASIC_HEADER
    }

    private static final Logger LOG = LoggerFactory.getLogger(OAuth2TokenSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String accessToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    private final HttpUrl tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final ClientAuthentication clientAuthentication;
    private final Duration skew;
    private final Clock clock;
    private final OkHttpClient http;
    private final boolean refreshGrant;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong tokenRequests = new AtomicLong();
    private volatile Token current;
    private volatile String refreshToken;

    private OAuth2TokenSource(Builder b) {
        this.tokenUrl = b.tokenUrl;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.scope = b.scope;
        this.clientAuthentication = b.clientAuthentication;
        this.skew = b.skew;
        this.clock = b.clock;
        this.refreshGrant = b.refreshToken != null;
        this.refreshToken = b.refreshToken;
        this.http = b.http.newBuilder()
                .callTimeout(b.timeout.toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    /** Client-credentials grant: the application authenticates as itself. */
    public static Builder clientCredentials(String tokenUrl, String clientId, String clientSecret) {
        return new Builder(tokenUrl, clientId, clientSecret, null);
    }

    /** Refresh-token grant: an installed app holds a long-lived refresh token (HubSpot OAuth apps). */
    public static Builder refreshToken(String tokenUrl, String clientId, String clientSecret, String refreshToken) {
        requireText(refreshToken, "refreshToken");
        return new Builder(tokenUrl, clientId, clientSecret, refreshToken);
    }

    @Override
    public Optional<AuthHeader> header() {
        Token token = current;
        if (!usable(token)) {
            lock.lock();
            try {
                token = current;
                if (!usable(token)) {
                    token = fetch(token == null ? "initial" : "expiring");
                    current = token;
                }
            } finally {
                lock.unlock();
            }
        }
        return Optional.of(new AuthHeader("Authorization", "Bearer " + token.accessToken()));
    }

    @Override
    public boolean refreshAfterUnauthorized(AuthHeader refused) {
        lock.lock();
        try {
            Token token = current;
            if (token != null && !refused.value().equals("Bearer " + token.accessToken())) {
                return true; // another thread already replaced the refused token
            }
            current = fetch("rejected with 401");
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many token requests this source has sent (for metrics and tests). */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** When the current token will be refreshed, or empty when none is held or it has no expiry. */
    public Optional<Instant> refreshDueAt() {
        Token token = current;
        return token == null || token.expiresAt() == null ? Optional.empty() : Optional.of(token.expiresAt().minus(skew));
    }

    private boolean usable(Token token) {
        if (token == null) {
            return false;
        }
        return token.expiresAt() == null || clock.instant().isBefore(token.expiresAt().minus(skew));
    }

    private Token fetch(String why) {
        tokenRequests.incrementAndGet();
        FormBody.Builder form = new FormBody.Builder();
        if (refreshGrant) {
            form.add("grant_type", "refresh_token").add("refresh_token", refreshToken);
        } else {
            form.add("grant_type", "client_credentials");
        }
        if (scope != null) {
            form.add("scope", scope);
        }
        Request.Builder request = new Request.Builder().url(tokenUrl).header("Accept", "application/json");
        if (clientAuthentication == ClientAuthentication.BASIC_HEADER) {
            request.header("Authorization", Credentials.basic(clientId, clientSecret));
        } else {
            form.add("client_id", clientId).add("client_secret", clientSecret);
        }
        request.post(form.build());
        Instant sentAt = clock.instant();
        LOG.debug("Requesting an OAuth2 token from {} ({})", tokenUrl, why);
        try (Response response = http.newCall(request.build()).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            int code = response.code();
            if (code == 429 || code >= 500) {
                throw new RetriableHandoffException("OAuth2 token request to " + tokenUrl + " failed: HTTP " + code);
            }
            if (code < 200 || code > 299) {
                throw new NonRetriableHandoffException("OAuth2 token request to " + tokenUrl + " was refused: HTTP " + code
                        + errorCode(body) + "; check the client id, secret" + (refreshGrant ? " and refresh token" : "") + " and scope");
            }
            return parse(body, sentAt);
        } catch (IOException e) {
            throw new RetriableHandoffException("OAuth2 token request to " + tokenUrl + " failed: " + e, e);
        }
    }

    private Token parse(String body, Instant sentAt) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new NonRetriableHandoffException("OAuth2 token response from " + tokenUrl + " is not JSON", e);
        }
        if (node == null || !node.path("access_token").isTextual() || node.path("access_token").asText().isBlank()) {
            throw new NonRetriableHandoffException("OAuth2 token response from " + tokenUrl + " has no access_token");
        }
        String type = node.path("token_type").asText("Bearer");
        if (!type.equalsIgnoreCase("bearer")) {
            throw new NonRetriableHandoffException("OAuth2 token response from " + tokenUrl + " has token_type \"" + type
                    + "\"; expected \"Bearer\"");
        }
        Instant expiresAt = null;
        JsonNode expiresIn = node.get("expires_in");
        if (expiresIn != null && !expiresIn.isNull()) {
            long seconds = expiresIn.isNumber() ? expiresIn.asLong() : parseSeconds(expiresIn.asText());
            if (seconds <= 0) {
                throw new NonRetriableHandoffException("OAuth2 token response from " + tokenUrl + " has expires_in " + expiresIn
                        + "; expected a positive number of seconds");
            }
            expiresAt = sentAt.plusSeconds(seconds);
        }
        if (node.path("refresh_token").isTextual() && refreshGrant) {
            refreshToken = node.path("refresh_token").asText();
        }
        LOG.info("Obtained an OAuth2 token from {} (expires {})", tokenUrl, expiresAt == null ? "on 401" : expiresAt);
        return new Token(node.path("access_token").asText(), expiresAt);
    }

    private long parseSeconds(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new NonRetriableHandoffException("OAuth2 token response from " + tokenUrl + " has expires_in \"" + text
                    + "\"; expected a number of seconds");
        }
    }

    /** The RFC 6749 {@code error} code of a refusal, which never carries a secret. */
    private static String errorCode(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.path("error").isTextual()) {
                String error = node.path("error").asText();
                if (error.matches("[A-Za-z0-9_.\\-]{1,64}")) {
                    return " " + error;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: no code to report
        }
        return "";
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return "OAuth2TokenSource[" + tokenUrl + ", " + (refreshGrant ? "refresh_token" : "client_credentials") + "]";
    }

    /** Builds an {@link OAuth2TokenSource}. */
    public static final class Builder {
        private final String rawUrl;
        private HttpUrl tokenUrl;
        private final String clientId;
        private final String clientSecret;
        private final String refreshToken;
        private String scope;
        private ClientAuthentication clientAuthentication = ClientAuthentication.POST_BODY;
        private Duration skew = DEFAULT_SKEW;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private OkHttpClient http;
        private boolean allowInsecureHttp;

        private Builder(String tokenUrl, String clientId, String clientSecret, String refreshToken) {
            this.rawUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
            requireText(clientId, "clientId");
            requireText(clientSecret, "clientSecret");
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.refreshToken = refreshToken;
        }

        /** Space-separated scopes to request; default none (the client's configured scopes). */
        public Builder scope(String value) {
            this.scope = Objects.requireNonNull(value, "scope");
            return this;
        }

        /** Default {@link ClientAuthentication#POST_BODY}. */
        public Builder clientAuthentication(ClientAuthentication value) {
            this.clientAuthentication = Objects.requireNonNull(value, "clientAuthentication");
            return this;
        }

        /** How long before expiry a token is refreshed; default {@link #DEFAULT_SKEW} (60 s). */
        public Builder skew(Duration value) {
            Objects.requireNonNull(value, "skew");
            if (value.isNegative()) {
                throw new IllegalArgumentException("skew must not be negative, was " + value);
            }
            this.skew = value;
            return this;
        }

        /** Timeout of one token request; default {@link #DEFAULT_TIMEOUT} (10 s). */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + value);
            }
            this.timeout = value;
            return this;
        }

        /** The clock expiry is measured on; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The OkHttp client to derive the token client from (shares its connection pool); default a new one. */
        public Builder httpClient(OkHttpClient value) {
            this.http = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /** Allows an {@code http://} token URL. For tests against a local server only; default false. */
        public Builder allowInsecureHttpForTesting(boolean value) {
            this.allowInsecureHttp = value;
            return this;
        }

        /**
         * The token source.
         *
         * @return a thread-safe token source
         * @throws dev.handoff.api.ConfigurationException naming {@code tokenUrl} when it is not an http(s) URL, or not https
         *                                                without {@code allowInsecureHttpForTesting(true)}
         */
        public OAuth2TokenSource build() {
            tokenUrl = HttpUrl.parse(rawUrl);
            if (tokenUrl == null) {
                throw new ConfigurationException("OAuth2 tokenUrl \"" + rawUrl + "\" is not an http(s) URL");
            }
            if (!tokenUrl.isHttps() && !allowInsecureHttp) {
                throw new ConfigurationException("OAuth2 tokenUrl must use https, was \"" + rawUrl
                        + "\" (allowInsecureHttpForTesting(true) permits http in tests)");
            }
            if (http == null) {
                http = new OkHttpClient();
            }
            return new OAuth2TokenSource(this);
        }
    }
}
