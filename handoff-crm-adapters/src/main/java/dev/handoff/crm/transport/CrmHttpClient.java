package dev.handoff.crm.transport;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.crm.auth.AuthHeader;
import dev.handoff.crm.auth.CrmAuth;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport every CRM adapter uses: OkHttp with HTTPS enforced, connect/read/write/call timeouts,
 * credentials from a {@link CrmAuth}, retries with exponential back-off and jitter, {@code Retry-After}, an
 * {@code Idempotency-Key} that stays the same on every retry, and a {@link CircuitBreaker}.
 *
 * <p>What is retried: connection failures, timeouts, a connection lost after the request was written (the
 * outcome is unknown, exactly as after a read timeout, so the call is repeated with the same idempotency key),
 * 409, 429 and 5xx. Nothing else: a 400 or 404 fails at once with a {@link NonRetriableHandoffException}. A 401
 * gets one credential refresh and one repeat (see {@link CrmAuth#refreshAfterUnauthorized}); a second 401 is
 * final. When the attempts run out, or the breaker is open, a {@link RetriableHandoffException} carries the
 * server's {@code Retry-After} or the breaker's remaining open time, so the durable outbox knows when to come
 * back.
 *
 * <p>{@link #execute} is blocking and thread-safe; adapters call it on Handoff's worker threads. Credentials,
 * bodies and query strings are never logged: a log line names the system, the method and the path.
 */
public final class CrmHttpClient {

    /** Default connect timeout: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default read timeout (between bytes of the answer): 10 s. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    /** Default write timeout: 10 s. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Default timeout of a whole attempt, from connect to the last byte of the body: 30 s. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** The header that carries the idempotency key. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger LOG = LoggerFactory.getLogger(CrmHttpClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Default largest answer read: 4 MiB. A larger one is refused without being read into memory. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    /** How much of an error answer is read, to find the CRM's error code in it. */
    /** An error code worth naming: a plain token, so it cannot carry a customer's data back into a message. */

    private final String system;
    private final OkHttpClient http;
    private final CrmAuth auth;
    private final RetryPolicy retryPolicy;
    private final CircuitBreaker breaker;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;
    private final boolean allowInsecureHttp;
    private final CrmAnswers answers;

    private CrmHttpClient(Builder b) {
        this.system = b.system;
        this.auth = b.auth;
        this.retryPolicy = b.retryPolicy;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.random = b.random;
        this.allowInsecureHttp = b.allowInsecureHttp;
        this.breaker = new CircuitBreaker(b.breakerConfig, b.clock);
        this.answers = new CrmAnswers(b.system, b.clock, b.maxResponseBytes);
        OkHttpClient base = b.http == null ? new OkHttpClient() : b.http;
        this.http = base.newBuilder()
                .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(b.writeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(b.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // our own retry loop decides; OkHttp must not silently repeat a request
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    /**
     * @param system the CRM's short name ({@code "hubspot"}), used in messages and logs
     */
    public static Builder builder(String system) {
        return new Builder(system);
    }

    /** The CRM's short name. */
    public String system() {
        return system;
    }

    /** The circuit breaker of this client (to read its state). */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Parses and checks a configured base URL.
     *
     * @param field the configuration field, named in the error
     * @throws ConfigurationException when it is not a URL or is plain http outside test mode
     */
    public HttpUrl requireUrl(String field, String value) {
        Objects.requireNonNull(value, field);
        HttpUrl url = HttpUrl.parse(value);
        if (url == null) {
            throw new ConfigurationException(system + " " + field + " \"" + value + "\" is not an http(s) URL");
        }
        if (!url.isHttps() && !allowInsecureHttp) {
            throw new ConfigurationException(system + " " + field + " must use https, was \"" + value
                    + "\" (allowInsecureHttpForTesting(true) permits http in tests)");
        }
        return url;
    }

    /**
     * Sends the request, retrying as described on the class, and returns the 2xx answer.
     *
     * @throws RetriableHandoffException    when the CRM stayed unreachable or failing through every attempt, the
     *                                      breaker is open, or the thread was interrupted while waiting
     * @throws CrmRefusedException          when the CRM refused the request (4xx other than 409/429, or 401
     *                                      after a refresh)
     */
    public CrmResponse execute(CrmRequest request) {
        return send(request, retryPolicy.maxAttempts());
    }

    /**
     * Sends the request in one attempt (a 401 still gets its one credential refresh and repeat): for a write the CRM
     * cannot deduplicate, where the caller must look before it writes again (a verdict found by its token), so a retry
     * is the caller's, from the look. Blocking and thread-safe, like {@link #execute}.
     *
     * @throws RetriableHandoffException    when the CRM was unreachable or failed (409, 429, 5xx, a timeout, a connection
     *                                      lost after the request), with the server's {@code Retry-After} when it sent one
     * @throws CrmRefusedException          when the CRM refused the request, as {@link #execute}
     */
    public CrmResponse executeOnce(CrmRequest request) {
        return send(request, 1);
    }

    private CrmResponse send(CrmRequest request, int maxAttempts) {
        Objects.requireNonNull(request, "request");
        if (!request.url().isHttps() && !allowInsecureHttp) {
            throw new ConfigurationException(system + " refuses to send to a non-https URL: " + request.url().scheme() + "://"
                    + request.url().host() + request.url().encodedPath());
        }
        byte[] body = request.bodyBytes();
        boolean refreshed = false;
        int attempt = 0;
        while (true) {
            attempt++;
            Optional<Duration> open = breaker.tryAcquire();
            if (open.isPresent()) {
                throw new RetriableHandoffException(system + " " + request.describe() + " not sent: the circuit breaker is open"
                        + " after repeated failures; next probe in " + open.get().toMillis() + " ms", null, open.get());
            }
            Optional<AuthHeader> credential;
            Request built;
            try {
                credential = auth.header();
                built = build(request, body, credential);
            } catch (RuntimeException e) {
                breaker.release(); // nothing was sent: a half-open probe must not stay claimed
                throw e;
            }
            RetriableHandoffException failure;
            Duration retryAfter = null;
            try (Response response = http.newCall(built).execute()) {
                int code = response.code();
                if (code >= 200 && code <= 299) {
                    String text = answers.readBody(response, request);
                    breaker.onSuccess();
                    if (attempt > 1) {
                        LOG.info("{} {} succeeded on attempt {}", system, request.describe(), attempt);
                    }
                    return new CrmResponse(code, text, attempt);
                }
                // an error answer may echo the request (a customer's data): only a plain error code is kept from it
                String errorCode = CrmAnswers.errorCode(response);
                String codeSuffix = errorCode == null ? "" : " (" + errorCode + ")";
                if (code == 401) {
                    breaker.onSuccess(); // the CRM is up; our credential is the problem
                    if (!refreshed && credential.isPresent() && auth.refreshAfterUnauthorized(credential.get())) {
                        refreshed = true;
                        attempt--; // the repeat after a refresh is not a retry
                        LOG.info("{} {} answered 401; repeating once with a refreshed credential", system, request.describe());
                        continue;
                    }
                    throw new CrmRefusedException(system + " " + request.describe() + " was refused: HTTP 401 Unauthorized"
                            + (refreshed ? " again after a credential refresh" : "") + codeSuffix, code, errorCode);
                }
                boolean retriable = code == 409 || code == 429 || code >= 500;
                if (!retriable) {
                    breaker.onSuccess();
                    throw new CrmRefusedException(system + " " + request.describe() + " was refused: HTTP " + code + codeSuffix, code,
                            errorCode);
                }
                if (code != 409) {
                    breaker.onFailure();
                }
                if (code == 429 || code == 503) {
                    retryAfter = parseRetryAfter(response.header("Retry-After"));
                }
                failure = new RetriableHandoffException(system + " " + request.describe() + " failed: HTTP " + code + codeSuffix
                        + " after " + attempt + (attempt == 1 ? " attempt" : " attempts"), null, retryAfter);
            } catch (IOException e) {
                breaker.onFailure();
                failure = new RetriableHandoffException(system + " " + request.describe() + " failed: " + CrmAnswers.describe(e) + " after "
                        + attempt + (attempt == 1 ? " attempt" : " attempts"), e);
            }
            if (attempt >= maxAttempts) {
                throw failure;
            }
            if (retryAfter != null && retryAfter.compareTo(retryPolicy.maxRetryAfter()) > 0) {
                LOG.warn("{} {} asked to retry after {} s, longer than the in-process limit; leaving it to the caller", system,
                        request.describe(), retryAfter.toSeconds());
                throw failure;
            }
            Duration wait = retryAfter != null ? retryAfter : retryPolicy.backoff(attempt, random);
            LOG.warn("{} {} attempt {} failed ({}); retrying in {} ms", system, request.describe(), attempt,
                    shortCause(failure), wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableHandoffException(system + " " + request.describe() + " interrupted while waiting to retry", e);
            }
        }
    }

    private Request build(CrmRequest request, byte[] body, Optional<AuthHeader> credential) {
        Request.Builder b = new Request.Builder().url(request.url())
                .header("Accept", "application/json")
                .header("User-Agent", "handoff-crm-adapters");
        request.headers().forEach(b::header);
        credential.ifPresent(h -> b.header(h.name(), h.value()));
        if (request.idempotencyKey() != null) {
            b.header(IDEMPOTENCY_KEY, request.idempotencyKey());
        }
        if (request.signer() != null) {
            Map<String, String> signed = request.signer().sign(body == null ? new byte[0] : body);
            signed.forEach(b::header);
        }
        b.method(request.method(), body == null ? null : RequestBody.create(body, JSON));
        return b.build();
    }

    /** See {@link CrmAnswers#parseRetryAfter}. */
    Duration parseRetryAfter(String value) {
        return answers.parseRetryAfter(value);
    }

    private static String shortCause(RetriableHandoffException failure) {
        String m = failure.getMessage();
        int i = m.indexOf(" failed: ");
        String cause = i < 0 ? m : m.substring(i + 9);
        return cause.replaceFirst(" after \\d+ attempts?", "");
    }

    /** Builds a {@link CrmHttpClient}. */
    public static final class Builder {
        private final String system;
        private OkHttpClient http;
        private CrmAuth auth = CrmAuth.none();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private CircuitBreaker.Config breakerConfig = CircuitBreaker.Config.defaults();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private boolean allowInsecureHttp;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder(String system) {
            Objects.requireNonNull(system, "system");
            if (!system.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("system must be 1-64 characters of [a-z0-9._-], was \"" + system + "\"");
            }
            this.system = system;
        }

        /** The credential source; default {@link CrmAuth#none()}. */
        public Builder auth(CrmAuth value) {
            this.auth = Objects.requireNonNull(value, "auth");
            return this;
        }

        /** A base OkHttp client to share its pool and dispatcher; timeouts and retry settings are overridden. */
        public Builder okHttpClient(OkHttpClient value) {
            this.http = Objects.requireNonNull(value, "okHttpClient");
            return this;
        }

        /** Default {@link #DEFAULT_CONNECT_TIMEOUT} (5 s). */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** Default {@link #DEFAULT_READ_TIMEOUT} (10 s). */
        public Builder readTimeout(Duration value) {
            this.readTimeout = positive(value, "readTimeout");
            return this;
        }

        /** Default {@link #DEFAULT_WRITE_TIMEOUT} (10 s). */
        public Builder writeTimeout(Duration value) {
            this.writeTimeout = positive(value, "writeTimeout");
            return this;
        }

        /** Timeout of a whole attempt including the body; default {@link #DEFAULT_CALL_TIMEOUT} (30 s). */
        public Builder callTimeout(Duration value) {
            this.callTimeout = positive(value, "callTimeout");
            return this;
        }

        /** Default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /** Default {@link CircuitBreaker.Config#defaults()}. */
        public Builder circuitBreaker(CircuitBreaker.Config value) {
            this.breakerConfig = Objects.requireNonNull(value, "circuitBreaker");
            return this;
        }

        /** How waits between retries are spent; default {@link Sleeper#SYSTEM}. */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /** The clock for Retry-After dates and the circuit breaker; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Source of jitter in {@code [0, 1)}; default {@link ThreadLocalRandom}. */
        public Builder random(DoubleSupplier value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * The largest answer body read; default {@link #DEFAULT_MAX_RESPONSE_BYTES} (4 MiB). A larger answer fails the
         * call with a {@link NonRetriableHandoffException} without being read into memory.
         */
        public Builder maxResponseBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was " + value);
            }
            this.maxResponseBytes = value;
            return this;
        }

        /** Allows plain {@code http://} URLs. For tests against a local server only; default false. */
        public Builder allowInsecureHttpForTesting(boolean value) {
            this.allowInsecureHttp = value;
            return this;
        }

        /**
         * The client.
         *
         * @return a thread-safe client
         * @throws IllegalArgumentException when {@code callTimeout} is shorter than {@code connectTimeout}
         */
        public CrmHttpClient build() {
            if (callTimeout.compareTo(connectTimeout) < 0) {
                throw new IllegalArgumentException("callTimeout " + callTimeout + " must not be shorter than connectTimeout "
                        + connectTimeout);
            }
            return new CrmHttpClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
