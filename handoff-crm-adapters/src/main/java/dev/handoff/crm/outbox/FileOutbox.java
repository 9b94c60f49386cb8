package dev.handoff.crm.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable outbox in a directory: an append-only journal of checksummed records, forced to disk before
 * {@link #append} returns, so a handoff written here survives a CRM outage, a crash and a restart.
 *
 * <p>Files in the directory: {@code outbox.journal} (the records), {@code outbox.lock} (held while open, so two
 * processes cannot share a directory), {@code dead-letters.jsonl} (one JSON line per push the CRM refused for
 * good, with the full context, so nothing is silently dropped) and, after a damaged journal was repaired,
 * {@code outbox.journal.corrupt-<millis>} with the bytes that could not be read.
 *
 * <p>Record layout: {@code [int length][int CRC32C of type+payload][byte type][payload: UTF-8 JSON]}; types are
 * ENQUEUE, ACK and DEAD. Opening replays the journal; a torn or damaged tail (a crash mid-write) is cut off and
 * kept aside. Acknowledged and dead entries are compacted away on open and every {@link #DEFAULT_COMPACT_AFTER}
 * finished entries (write a new file, force it, atomically rename it over the old one).
 *
 * <p>Thread-safe: every method is synchronized. Not for use by two processes at once.
 */
public final class FileOutbox implements Closeable {

    /** Finished (acknowledged or dead) entries after which the journal is rewritten: 1000. */
    public static final int DEFAULT_COMPACT_AFTER = 1000;
    /** The journal's file name. */
    public static final String JOURNAL = "outbox.journal";
    /** The dead-letter file's name. */
    public static final String DEAD_LETTERS = "dead-letters.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte ENQUEUE = 1;
    private static final byte ACK = 2;
    private static final byte DEAD = 3;
    private static final int HEADER = 9;
    private static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    private final Path dir;
    private final Path journal;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, OutboxEntry> pending = new LinkedHashMap<>();
    private FileChannel channel;
    private int finishedInFile;
    private boolean closed;

    private FileOutbox(Path dir, Clock clock) throws IOException {
        this.dir = dir;
        this.journal = dir.resolve(JOURNAL);
        this.clock = clock;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("outbox.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new ConfigurationException("Outbox directory " + dir + " is already open (by this or another process);"
                    + " give each process its own directory");
        }
        this.lock = acquired;
        try {
            replay();
            compact();
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** Opens (creating if needed) the outbox in {@code dir} with the system clock. */
    public static FileOutbox open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the outbox in {@code dir}.
     *
     * @throws ConfigurationException when the directory is already open
     * @throws UncheckedIOException   when the directory cannot be created or read
     */
    public static FileOutbox open(Path dir, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        try {
            return new FileOutbox(dir, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open outbox in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /**
     * Writes a push and forces it to disk before returning.
     *
     * @throws RetriableHandoffException when the disk write fails (the push was not accepted)
     */
    public synchronized OutboxEntry append(String adapter, String idempotencyKey, String contextId, String contextJson) {
        ensureOpen();
        OutboxEntry entry = new OutboxEntry(UUID.randomUUID().toString(), adapter, idempotencyKey, contextId, clock.instant(),
                contextJson);
        ObjectNode payload = JSON.createObjectNode()
                .put("id", entry.id()).put("adapter", adapter).put("key", idempotencyKey).put("contextId", contextId)
                .put("at", entry.enqueuedAt().toString()).put("context", contextJson);
        write(ENQUEUE, payload, "enqueue " + entry.id());
        pending.put(entry.id(), entry);
        return entry;
    }

    /** Marks a push delivered; it will not be sent again, even after a restart. Unknown ids are ignored. */
    public synchronized void acknowledge(String entryId, CrmReceipt receipt) {
        ensureOpen();
        if (!pending.containsKey(entryId)) {
            return;
        }
        ObjectNode payload = JSON.createObjectNode().put("id", entryId).put("at", clock.instant().toString());
        if (receipt != null) {
            payload.put("system", receipt.system()).put("recordId", receipt.recordId()).put("url", receipt.url());
        }
        write(ACK, payload, "acknowledge " + entryId);
        pending.remove(entryId);
        finished();
    }

    /**
     * Moves a push the CRM refused for good to {@code dead-letters.jsonl} (with its context and the reason) and
     * stops retrying it. Unknown ids are ignored.
     */
    public synchronized void deadLetter(String entryId, String reason) {
        ensureOpen();
        OutboxEntry entry = pending.get(entryId);
        if (entry == null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode()
                .put("id", entry.id()).put("adapter", entry.adapter()).put("key", entry.idempotencyKey())
                .put("contextId", entry.contextId()).put("enqueuedAt", entry.enqueuedAt().toString())
                .put("deadAt", clock.instant().toString()).put("reason", reason);
        line.set("context", readTreeOrText(entry.contextJson()));
        try (FileChannel dead = FileChannel.open(dir.resolve(DEAD_LETTERS), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            dead.write(ByteBuffer.wrap((line.toString() + "\n").getBytes(StandardCharsets.UTF_8)));
            dead.force(true);
        } catch (IOException e) {
            throw new RetriableHandoffException("Cannot write dead letter " + entryId + " to " + dir.resolve(DEAD_LETTERS) + ": "
                    + e.getMessage(), e);
        }
        write(DEAD, JSON.createObjectNode().put("id", entryId).put("reason", reason), "dead-letter " + entryId);
        pending.remove(entryId);
        finished();
    }

    /** Every push given up so far, oldest first, with its context and the reason. */
    public synchronized List<DeadLetter> deadLetters() {
        Path file = dir.resolve(DEAD_LETTERS);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            java.util.ArrayList<DeadLetter> out = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode n = JSON.readTree(line);
                out.add(new DeadLetter(new OutboxEntry(n.path("id").asText(), n.path("adapter").asText(), n.path("key").asText(),
                        n.path("contextId").asText(), Instant.parse(n.path("enqueuedAt").asText()), n.path("context").toString()),
                        Instant.parse(n.path("deadAt").asText()), n.path("reason").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dead letters of " + dir, e);
        }
    }

    /** The pushes not yet acknowledged or dead-lettered, oldest first. */
    public synchronized List<OutboxEntry> pending() {
        return List.copyOf(pending.values());
    }

    /** One pending push by id. */
    public synchronized Optional<OutboxEntry> pending(String entryId) {
        return Optional.ofNullable(pending.get(entryId));
    }

    /** Releases the directory. Pending pushes stay in the journal for the next open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("Closing outbox {} failed: {}", dir, e.toString());
        }
    }

    private void finished() {
        finishedInFile++;
        if (finishedInFile >= DEFAULT_COMPACT_AFTER) {
            try {
                compact();
            } catch (IOException e) {
                LOG.warn("Compacting outbox {} failed; the journal keeps growing until the next try: {}", dir, e.toString());
            }
        }
    }

    private void write(byte type, JsonNode payload, String what) {
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer record = ByteBuffer.allocate(HEADER + bytes.length);
        record.putInt(bytes.length).putInt(crc(type, bytes)).put(type).put(bytes).flip();
        try {
            while (record.hasRemaining()) {
                channel.write(record);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new RetriableHandoffException("Outbox " + dir + " could not " + what + ": " + e.getMessage(), e);
        }
    }

    private static int crc(byte type, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(payload);
        return (int) crc.getValue();
    }

    private void replay() throws IOException {
        if (!Files.exists(journal)) {
            channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return;
        }
        long good = 0;
        String damage = null;
        try (FileChannel in = FileChannel.open(journal, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (good < size) {
                header.clear();
                if (readFully(in, header, good) < HEADER) {
                    damage = "a torn record header";
                    break;
                }
                header.flip();
                int length = header.getInt();
                int expected = header.getInt();
                byte type = header.get();
                if (length < 0 || length > MAX_PAYLOAD || good + HEADER + length > size) {
                    damage = "a torn or impossible record of length " + length;
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(in, body, good + HEADER);
                byte[] bytes = body.array();
                if (crc(type, bytes) != expected) {
                    damage = "a record whose checksum does not match";
                    break;
                }
                apply(type, bytes);
                good += HEADER + length;
            }
            if (damage != null) {
                Path aside = dir.resolve(JOURNAL + ".corrupt-" + clock.millis());
                try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    in.transferTo(good, size - good, out);
                    out.force(true);
                }
                LOG.warn("Outbox journal {} ends in {} at byte {}; kept {} intact records, moved the last {} bytes to {}",
                        journal, damage, good, pending.size() + finishedInFile, size - good, aside);
            }
        }
        channel = FileChannel.open(journal, StandardOpenOption.WRITE);
        channel.truncate(good);
        channel.position(good);
        channel.force(true);
        if (!pending.isEmpty()) {
            LOG.info("Outbox {} reopened with {} pending push(es)", dir, pending.size());
        }
    }

    private static int readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = in.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private void apply(byte type, byte[] bytes) throws IOException {
        JsonNode node = JSON.readTree(bytes);
        String id = node.path("id").asText();
        switch (type) {
            case ENQUEUE -> pending.put(id, new OutboxEntry(id, node.path("adapter").asText(), node.path("key").asText(),
                    node.path("contextId").asText(), Instant.parse(node.path("at").asText()), node.path("context").asText()));
            case ACK, DEAD -> {
                pending.remove(id);
                finishedInFile++;
            }
            default -> throw new IOException("unknown record type " + type);
        }
    }

    /** Rewrites the journal with only the pending entries, atomically. */
    private void compact() throws IOException {
        if (finishedInFile == 0) {
            return;
        }
        Path tmp = dir.resolve(JOURNAL + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileChannel previous = channel;
            channel = out;
            try {
                for (OutboxEntry e : pending.values()) {
                    ObjectNode payload = JSON.createObjectNode()
                            .put("id", e.id()).put("adapter", e.adapter()).put("key", e.idempotencyKey()).put("contextId", e.contextId())
                            .put("at", e.enqueuedAt().toString()).put("context", e.contextJson());
                    write(ENQUEUE, payload, "compact " + e.id());
                }
                out.force(true);
            } finally {
                channel = previous;
            }
        }
        channel.close();
        Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        LOG.debug("Compacted outbox {}: dropped {} finished entries, kept {} pending", dir, finishedInFile, pending.size());
        finishedInFile = 0;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot force directory {} on this platform: {}", dir, e.toString());
        }
    }

    private static JsonNode readTreeOrText(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("outbox " + dir + " is closed");
        }
    }
}
