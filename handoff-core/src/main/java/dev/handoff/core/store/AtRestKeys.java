package dev.handoff.core.store;

import dev.handoff.api.ConfigurationException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * AES-256 keys by id for encrypting the files that hold contexts (the context store, the commitment ledger, the
 * CRM outbox and its dead letters) with AES-GCM. The current key encrypts; every key in the ring decrypts, so keys
 * rotate like {@code SigningKeys}: {@link #rotateTo} a new key, and the next open of each file rewrites its records
 * under the new key, after which the old one can be {@link #retire}d. Key bytes are never printed by
 * {@link #toString()}. Immutable and thread-safe.
 */
public final class AtRestKeys {

    /** AES-256: keys are exactly this many bytes. */
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, byte[]> keys;

    private AtRestKeys(String currentId, Map<String, byte[]> keys) {
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * A ring with one key.
     *
     * @param keyId 1-32 characters of {@code [A-Za-z0-9._-]}, stored with every sealed record
     * @param key   {@link #KEY_BYTES} random bytes; copied
     * @return a ring with one key, which encrypts
     * @throws ConfigurationException when the id is not 1-32 characters of {@code [A-Za-z0-9._-]} or the key is not
     *                                {@link #KEY_BYTES} bytes
     */
    public static AtRestKeys of(String keyId, byte[] key) {
        Objects.requireNonNull(key, "key");
        return new AtRestKeys(keyId, checked(Map.of(Objects.requireNonNull(keyId, "keyId"), key.clone())));
    }

    /**
     * A fresh random key, for tests and one process only: the files cannot be read after a restart.
     *
     * @return a ring with one random key
     */
    public static AtRestKeys ephemeral() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return of("ephemeral", key);
    }

    /**
     * A copy that encrypts with a new key and still decrypts with the old ones.
     *
     * @param keyId the new key's id
     * @param key   the new key
     * @return a new ring; this one is unchanged
     */
    public AtRestKeys rotateTo(String keyId, byte[] key) {
        Objects.requireNonNull(key, "key");
        Map<String, byte[]> copy = new LinkedHashMap<>(keys);
        copy.put(Objects.requireNonNull(keyId, "keyId"), key.clone());
        return new AtRestKeys(keyId, checked(copy));
    }

    /**
     * A copy without an old key (records still under it can no longer be read: reopen each file after rotating first).
     *
     * @param keyId the old key's id
     * @return a new ring; this one is unchanged
     */
    public AtRestKeys retire(String keyId) {
        if (keyId.equals(currentId)) {
            throw new ConfigurationException("cannot retire the current at-rest key \"" + keyId + "\"; rotate first");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>(keys);
        copy.remove(keyId);
        return new AtRestKeys(currentId, copy);
    }

    /**
     * The id of the key that encrypts.
     *
     * @return the key id
     */
    public String currentId() {
        return currentId;
    }

    /**
     * Encrypts with the current key (AES-256-GCM, a fresh random 96-bit nonce, a 128-bit tag).
     *
     * @param associatedData authenticated but not encrypted (which file the record belongs to)
     * @return {@code [id length: 1 byte][key id][nonce: 12 bytes][ciphertext and tag]}
     * @param plaintext      the record
     */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] id = currentId.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(keys.get(currentId), "AES"),
                    new javax.crypto.spec.GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData);
            byte[] sealed = c.doFinal(plaintext);
            byte[] out = new byte[1 + id.length + NONCE_BYTES + sealed.length];
            out[0] = (byte) id.length;
            System.arraycopy(id, 0, out, 1, id.length);
            System.arraycopy(nonce, 0, out, 1 + id.length, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + id.length + NONCE_BYTES, sealed.length);
            return out;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    }

    /**
     * The id of the key a sealed record was encrypted with.
     *
     * @param sealed a sealed record
     * @return the key id written in its header
     */
    public static String keyIdOf(byte[] sealed) {
        if (sealed.length < 1 || sealed.length < 1 + (sealed[0] & 0xff) + NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed record is too short (" + sealed.length + " bytes)");
        }
        return new String(sealed, 1, sealed[0] & 0xff, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Decrypts a record made by {@link #seal} with any key of the ring.
     *
     * @param sealed         a record from {@link #seal}
     * @param associatedData the same bytes given to {@link #seal}
     * @return the plaintext
     * @throws ConfigurationException   naming the key id when it is not in the ring
     * @throws IllegalArgumentException when the record was altered (the GCM tag does not verify) or is malformed
     */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        String id = keyIdOf(sealed);
        byte[] key = keys.get(id);
        if (key == null) {
            throw new ConfigurationException("a record is encrypted with at-rest key id \"" + id + "\", which is not in the key ring "
                    + keys.keySet() + "; add it (AtRestKeys.rotateTo keeps old keys for reading)");
        }
        int offset = 1 + id.length();
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                    new javax.crypto.spec.GCMParameterSpec(TAG_BITS, sealed, offset, NONCE_BYTES));
            c.updateAAD(associatedData);
            return c.doFinal(sealed, offset + NONCE_BYTES, sealed.length - offset - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("record encrypted with at-rest key \"" + id + "\" was altered: its GCM tag does not verify", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("record encrypted with at-rest key \"" + id + "\" cannot be decrypted: " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> checked(Map<String, byte[]> keys) {
        for (var e : keys.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9._-]{1,32}")) {
                throw new ConfigurationException("at-rest key id must be 1-32 characters of [A-Za-z0-9._-], was \"" + e.getKey() + "\"");
            }
            if (e.getValue() == null || e.getValue().length != KEY_BYTES) {
                throw new ConfigurationException("at-rest key \"" + e.getKey() + "\" must be " + KEY_BYTES + " bytes (AES-256), was "
                        + (e.getValue() == null ? 0 : e.getValue().length));
            }
        }
        return new LinkedHashMap<>(keys);
    }

    @Override
    public String toString() {
        return "AtRestKeys[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }
}
