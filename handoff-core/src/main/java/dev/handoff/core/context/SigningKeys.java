package dev.handoff.core.context;

import dev.handoff.api.ConfigurationException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HMAC keys by id. The current key signs; every key in the ring verifies, so keys can rotate without
 * invalidating documents and tickets already issued. Key bytes are never printed by {@link #toString()}.
 */
public final class SigningKeys {

    /** Minimum key length in bytes (the HMAC-SHA256 block-size recommendation is 32). */
    public static final int MIN_KEY_BYTES = 32;

    private final String currentId;
    private final Map<String, byte[]> keys;

    private SigningKeys(String currentId, Map<String, byte[]> keys) {
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * A ring with one key.
     *
     * @param keyId 1-32 characters of {@code [A-Za-z0-9._-]}, written in every signature
     * @param key   at least {@link #MIN_KEY_BYTES} secret bytes; copied
     * @return a ring with one key, which signs
     * @throws dev.handoff.api.ConfigurationException when the id or the key length is wrong (the message names the id, never the key)
     */
    public static SigningKeys of(String keyId, byte[] key) {
        return new SigningKeys(keyId, checked(Map.of(keyId, key.clone())));
    }

    /**
     * A fresh random key, for one process only: documents cannot be verified after a restart.
     *
     * @return a ring with one random key
     */
    public static SigningKeys ephemeral() {
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return of("ephemeral", key);
    }

    /**
     * A copy that signs with a new key and still verifies with the old ones.
     *
     * @param keyId the new key's id
     * @param key   the new key; copied
     * @return a new ring; this one is unchanged
     * @throws dev.handoff.api.ConfigurationException when the id or the key length is wrong
     */
    public SigningKeys rotateTo(String keyId, byte[] key) {
        Map<String, byte[]> copy = new LinkedHashMap<>(keys);
        copy.put(keyId, key.clone());
        return new SigningKeys(keyId, checked(copy));
    }

    /**
     * A copy without an old key (documents it signed no longer verify).
     *
     * @param keyId the old key's id
     * @return a new ring; this one is unchanged
     */
    public SigningKeys retire(String keyId) {
        if (keyId.equals(currentId)) {
            throw new ConfigurationException("cannot retire the current signing key \"" + keyId + "\"; rotate first");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>(keys);
        copy.remove(keyId);
        return new SigningKeys(currentId, copy);
    }

    /**
     * The id of the key that signs.
     *
     * @return the key id
     */
    public String currentId() {
        return currentId;
    }

    byte[] current() {
        return keys.get(currentId);
    }

    Optional<byte[]> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    private static Map<String, byte[]> checked(Map<String, byte[]> keys) {
        for (var e : keys.entrySet()) {
            Objects.requireNonNull(e.getKey(), "keyId");
            if (e.getKey().isBlank() || !e.getKey().matches("[A-Za-z0-9._-]{1,32}")) {
                throw new ConfigurationException("signing key id must be 1-32 characters of [A-Za-z0-9._-], was \"" + e.getKey() + "\"");
            }
            if (e.getValue() == null || e.getValue().length < MIN_KEY_BYTES) {
                throw new ConfigurationException("signing key \"" + e.getKey() + "\" must be at least " + MIN_KEY_BYTES
                        + " bytes, was " + (e.getValue() == null ? 0 : e.getValue().length));
            }
        }
        return new LinkedHashMap<>(keys);
    }

    @Override
    public String toString() {
        return "SigningKeys[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }
}
