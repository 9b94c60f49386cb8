package dev.handoff.desktop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Agents with long-lived secret tokens, kept as SHA-256 digests: the file (or the builder) never needs the tokens
 * themselves, so a leaked file gives nobody access. Thread-safe and immutable.
 *
 * <p>The file is JSON:
 * <pre>{@code
 * {"agents": [
 *   {"id": "ana", "name": "Ana Lopez", "role": "AGENT", "tenant": "northwind", "queues": ["support"], "skills": ["es"],
 *    "tokenSha256": "9f2c…64 hex digits…"},
 *   {"id": "sue", "name": "Sue Park", "role": "SUPERVISOR", "tenant": "northwind", "tokenSha256": "…"}
 * ]}
 * }</pre>
 * {@code role} defaults to {@code AGENT}, {@code tenant} to {@value Agent#DEFAULT_TENANT}. Compute a digest with
 * {@link #sha256(String)} (or {@code printf %s "$TOKEN" | sha256sum}); give each agent a random token of at least
 * {@value #MIN_TOKEN_LENGTH} characters.
 */
public final class StaticTokenAuthenticator implements AgentAuthenticator {

    /** Shortest token {@link Builder#agent} accepts. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** Largest token file read. */
    public static final long MAX_FILE_BYTES = 1 << 20;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> FIELDS = Set.of("id", "name", "role", "tenant", "queues", "skills", "tokenSha256");

    private final Map<String, Agent> byDigest;

    private StaticTokenAuthenticator(Map<String, Agent> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    /**
     * A builder; add each agent's token before {@link Builder#build}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the agents from a JSON file.
     *
     * @throws ValidationException    listing every problem (JSON path, value, what was expected); digests are never echoed
     * @throws ConfigurationException when the file cannot be read or is larger than {@value #MAX_FILE_BYTES} bytes
     */
    public static StaticTokenAuthenticator fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        JsonNode root;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigurationException("agent token file " + file + " is " + size + " bytes; at most " + MAX_FILE_BYTES);
            }
            root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ValidationException("agent token file " + file, List.of(new Violation("$", null,
                    "a JSON object (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ")")));
        } catch (IOException e) {
            throw new ConfigurationException("cannot read agent token file " + file + ": " + e, e);
        }
        List<Violation> violations = new ArrayList<>();
        Map<String, Agent> byDigest = new LinkedHashMap<>();
        JsonNode agents = root == null ? null : root.get("agents");
        if (agents == null || !agents.isArray() || agents.isEmpty()) {
            violations.add(new Violation("$.agents", agents == null ? null : agents.getNodeType(), "a non-empty array of agents"));
        } else {
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < agents.size(); i++) {
                readAgent(agents.get(i), "$.agents[" + i + "]", ids, byDigest, violations);
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException("agent token file " + file, violations);
        }
        return new StaticTokenAuthenticator(byDigest);
    }

    private static void readAgent(JsonNode node, String path, Set<String> ids, Map<String, Agent> byDigest, List<Violation> out) {
        if (node == null || !node.isObject()) {
            out.add(new Violation(path, node == null ? null : node.getNodeType(), "an object"));
            return;
        }
        int before = out.size();
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                out.add(new Violation(path + "." + Agent.clean(f), null, f.equals("token")
                        ? "no plain tokens in the file: give tokenSha256, the SHA-256 of the token in hex"
                        : "one of " + new java.util.TreeSet<>(FIELDS)));
            }
        });
        String id = text(node, "id");
        if (id == null || !Agent.ID.matcher(id).matches()) {
            out.add(new Violation(path + ".id", id == null ? null : Agent.clean(id), "1-64 characters of [A-Za-z0-9._:-]"));
        } else if (!ids.add(id)) {
            out.add(new Violation(path + ".id", id, "an id no other agent in the file has"));
        }
        String tenant = text(node, "tenant");
        if (tenant != null && !Agent.ID.matcher(tenant).matches()) {
            out.add(new Violation(path + ".tenant", Agent.clean(tenant), "1-64 characters of [A-Za-z0-9._:-]"));
        }
        String roleText = text(node, "role");
        Agent.Role role = Agent.Role.AGENT;
        if (roleText != null) {
            try {
                role = Agent.Role.valueOf(roleText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                out.add(new Violation(path + ".role", Agent.clean(roleText), "one of [AGENT, SUPERVISOR]"));
            }
        }
        Set<String> queues = strings(node, "queues", path, out);
        Set<String> skills = strings(node, "skills", path, out);
        String digest = text(node, "tokenSha256");
        if (digest == null || !HEX.matcher(digest.toLowerCase(Locale.ROOT)).matches()) {
            // a digest is not a secret, but a typo'd token pasted here would be: never echo the value
            out.add(new Violation(path + ".tokenSha256", digest == null ? null : "(" + digest.length() + " characters)",
                    "64 hexadecimal digits: the SHA-256 of the agent's token"));
        } else if (byDigest.containsKey(digest.toLowerCase(Locale.ROOT))) {
            out.add(new Violation(path + ".tokenSha256", "(same as " + byDigest.get(digest.toLowerCase(Locale.ROOT)).id() + ")",
                    "a token no other agent has"));
        }
        String name = text(node, "name");
        if (name != null && (name.length() > 80 || name.chars().anyMatch(Character::isISOControl))) {
            out.add(new Violation(path + ".name", Agent.clean(name), "at most 80 characters without control characters"));
        }
        if (out.size() == before) {
            byDigest.put(digest.toLowerCase(Locale.ROOT), new Agent(id, name, role, tenant == null ? Agent.DEFAULT_TENANT : tenant,
                    queues, skills));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    private static Set<String> strings(JsonNode node, String field, String path, List<Violation> out) {
        JsonNode v = node.get(field);
        Set<String> s = new LinkedHashSet<>();
        if (v == null || v.isNull()) {
            return s;
        }
        if (!v.isArray()) {
            out.add(new Violation(path + "." + field, v.getNodeType(), "an array of names"));
            return s;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().isBlank() || e.asText().length() > 128) {
                out.add(new Violation(path + "." + field + "[" + i + "]", Agent.clean(e.toString()), "a name of 1-128 characters"));
            } else {
                s.add(e.asText());
            }
        }
        return s;
    }

    /** The SHA-256 of a token, as the 64 lowercase hex digits the file holds. */
    public static String sha256(String token) {
        Objects.requireNonNull(token, "token");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public Optional<Agent> authenticate(String credential) {
        if (credential == null || credential.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byDigest.get(sha256(credential.strip())));
    }

    /** Every configured agent, by id. */
    public Map<String, Agent> agents() {
        Map<String, Agent> m = new HashMap<>();
        byDigest.values().forEach(a -> m.put(a.id(), a));
        return Map.copyOf(m);
    }

    /** Agents and their tokens in code (the tokens are digested at once). */
    public static final class Builder {

        private final Map<String, Agent> byDigest = new LinkedHashMap<>();
        private final Set<String> ids = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * @param token the agent's secret: at least {@value #MIN_TOKEN_LENGTH} characters, no whitespace, unique
         * @throws IllegalArgumentException naming the agent and the token's length (never the token)
         */
        public Builder agent(Agent agent, String token) {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(token, "token");
            if (!ids.add(agent.id())) {
                throw new IllegalArgumentException("agent \"" + agent.id() + "\" is configured twice");
            }
            if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
                ids.remove(agent.id());
                throw new IllegalArgumentException("token of agent \"" + agent.id() + "\" must be at least " + MIN_TOKEN_LENGTH
                        + " characters without whitespace, had " + token.length() + " characters");
            }
            String digest = sha256(token);
            if (byDigest.containsKey(digest)) {
                ids.remove(agent.id());
                throw new IllegalArgumentException("agents \"" + byDigest.get(digest).id() + "\" and \"" + agent.id()
                        + "\" have the same token; every agent needs their own");
            }
            byDigest.put(digest, agent);
            return this;
        }

        /** @throws ConfigurationException when no agent was added */
        public StaticTokenAuthenticator build() {
            if (byDigest.isEmpty()) {
                throw new ConfigurationException("no agents: add at least one with agent(agent, token)");
            }
            return new StaticTokenAuthenticator(byDigest);
        }
    }
}
