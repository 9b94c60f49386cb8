package dev.handoff.core.internal.journal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.Recovery;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one append-only record file behind every durable store of Handoff (contexts, the commitment ledger, the CRM
 * outbox and its dead letters). It survives a crash at any point, a full disk and a damaged block.
 *
 * <p>Layout ({@link JournalFrames}): the 8-byte header {@code HOJRNL02}, then frames {@code [marker FF 48 4A 52][length: int32][flags:
 * 1 byte][CRC32C of length, flags and payload: int32][payload]}, big-endian. With {@link AtRestKeys} the payload is
 * sealed with AES-256-GCM (flag bit 0), the file's purpose as associated data. {@link #append} writes one frame at
 * the end with positional writes and forces it to the device before it returns; on any {@link IOException} the file
 * is cut back to the last good offset, so a partial frame never precedes a later acknowledged one.
 *
 * <p>Opening applies the {@linkplain Recovery one recovery rule}: a frame is valid when marker, length and checksum
 * agree (and, when sealed, the GCM tag). Invalid bytes followed by a valid frame are damage: they are copied to
 * {@code <file>.set-aside-<millis>} and reading resumes at the next valid frame. A record the replay callback
 * rejects (it throws) is set aside the same way. Invalid bytes at the end are a torn last write and are cut. When
 * anything was set aside, or records are under an old key, the file is rewritten atomically with the good records
 * only (under the current key). Files are {@code 0600} in a {@code 0700} directory ({@link SecureFiles}); creating
 * a file or renaming one forces the directory.
 *
 * <p>One process may have a journal open at a time (an OS file lock). Thread-safe: every method is synchronized.
 */
public final class FileJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
    /** The largest payload accepted. */
    public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    /**
     * How to open a journal.
     *
     * @param purpose what the file holds ({@code "handoff.contexts"}); sealed records are bound to it
     * @param keys    nullable; encrypt records at rest
     * @param clock   names the set-aside file
     */
    public record Options(String purpose, AtRestKeys keys, Clock clock) {
        public Options {
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final Path file;
    private final Options options;
    private final byte[] aad;
    private FileChannel channel;
    private FileLock lock;
    private Recovery recovery;
    private long end;
    private boolean closed;

    private FileJournal(Path file, Options options) {
        this.file = file;
        this.options = options;
        this.aad = options.purpose().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Opens (creating if missing) and recovers a journal, handing each good record's payload to {@code replay} in
     * order. A payload {@code replay} throws on is set aside, never stops the open.
     *
     * @throws NonRetriableHandoffException when the file is not a journal or is open elsewhere
     * @throws ConfigurationException       when its directory is not private, or a record is sealed under a key id
     *                                      the ring does not have
     * @throws UncheckedIOException         when the file cannot be read or written
     */
    public static FileJournal open(Path file, Options options, Consumer<byte[]> replay) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(replay, "replay");
        FileJournal j = new FileJournal(file, options);
        try {
            j.recover(replay);
        } catch (IOException e) {
            j.closeQuietly();
            throw new UncheckedIOException("cannot open journal " + file, e);
        } catch (RuntimeException e) {
            j.closeQuietly();
            throw e;
        }
        return j;
    }

    private void recover(Consumer<byte[]> replay) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            SecureFiles.privateDirectory(parent);
        }
        channel = SecureFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        lock = tryLock(channel);
        long size = channel.size();
        if (size < JournalFrames.MAGIC.length) {
            // new file, or one torn while its header was being written; anything else is someone's file, kept
            byte[] start = new byte[(int) size];
            JournalFrames.readFully(channel, ByteBuffer.wrap(start), 0);
            if (!Arrays.equals(start, Arrays.copyOf(JournalFrames.MAGIC, start.length))) {
                throw notAJournal(start);
            }
            channel.truncate(0);
            JournalFrames.writeFully(channel, ByteBuffer.wrap(JournalFrames.MAGIC), 0);
            channel.force(true);
            end = JournalFrames.MAGIC.length;
            recovery = new Recovery(0, 0, 0, size, null);
            return;
        }
        byte[] header = new byte[JournalFrames.MAGIC.length];
        JournalFrames.readFully(channel, ByteBuffer.wrap(header), 0);
        if (!Arrays.equals(header, JournalFrames.MAGIC)) {
            throw notAJournal(header);
        }
        List<byte[]> kept = new ArrayList<>();
        List<byte[]> aside = new ArrayList<>();
        int damaged = 0;
        int rejected = 0;
        boolean stale = false;
        long pos = JournalFrames.MAGIC.length;
        long torn = 0;
        while (pos < size) {
            JournalFrames.Frame f = JournalFrames.frameAt(channel, pos, size);
            if (f == null) {
                long next = JournalFrames.nextFrame(channel, pos + 1, size);
                if (next < 0) {
                    // the end of the file: a torn last write (a frame that did not finish, never acknowledged) is cut;
                    // anything else there is damage to an acknowledged record and is kept for an operator
                    if (JournalFrames.tornWrite(channel, pos, size)) {
                        torn = size - pos;
                    } else {
                        aside.add(JournalFrames.read(channel, pos, (int) Math.min(size - pos, MAX_RECORD_BYTES)));
                        damaged++;
                    }
                    break;
                }
                aside.add(JournalFrames.read(channel, pos, (int) (next - pos)));
                damaged++;
                pos = next;
                continue;
            }
            byte[] payload;
            try {
                payload = decode(f);
            } catch (IllegalArgumentException e) {
                aside.add(JournalFrames.read(channel, pos, f.length()));
                damaged++;
                pos += f.length();
                continue;
            }
            stale |= options.keys() != null && ((f.flags() & JournalFrames.SEALED) == 0
                    || !AtRestKeys.keyIdOf(f.payload()).equals(options.keys().currentId()));
            try {
                replay.accept(payload);
                kept.add(payload);
            } catch (RuntimeException e) {
                LOG.warn("Journal {}: record at byte {} was rejected ({}); set aside", file, pos, e.getClass().getSimpleName());
                aside.add(JournalFrames.read(channel, pos, f.length()));
                rejected++;
            }
            pos += f.length();
        }
        Path asideFile = null;
        if (!aside.isEmpty()) {
            asideFile = setAside(aside);
            LOG.warn("Journal {}: {} damaged stretch(es) and {} rejected record(s) set aside in {}; {} records kept", file, damaged,
                    rejected, asideFile, kept.size());
        }
        recovery = new Recovery(kept.size(), damaged, rejected, torn, asideFile);
        if (!aside.isEmpty() || stale) {
            rewriteLocked(kept);
        } else {
            if (torn > 0) {
                LOG.warn("Journal {}: cut {} bytes of a torn last write after {} records", file, torn, kept.size());
                channel.truncate(pos);
                channel.force(true);
            }
            end = pos;
        }
    }

    private NonRetriableHandoffException notAJournal(byte[] header) {
        return new NonRetriableHandoffException("file " + file + " is not a Handoff journal (header "
                + new String(header, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "?") + ", expected "
                + new String(JournalFrames.MAGIC, StandardCharsets.US_ASCII) + ")");
    }

        private byte[] decode(JournalFrames.Frame f) {
        if ((f.flags() & JournalFrames.SEALED) == 0) {
            return f.payload();
        }
        if (options.keys() == null) {
            throw new ConfigurationException("journal " + file + " holds records encrypted with at-rest key id \""
                    + AtRestKeys.keyIdOf(f.payload()) + "\" but no AtRestKeys were configured");
        }
        return options.keys().open(f.payload(), aad);
    }

    private Path setAside(List<byte[]> chunks) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".set-aside-" + options.clock().millis());
        for (int i = 1; Files.exists(aside); i++) {
            aside = file.resolveSibling(file.getFileName() + ".set-aside-" + options.clock().millis() + "-" + i);
        }
        try (FileChannel out = SecureFiles.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long at = 0;
            for (byte[] c : chunks) {
                JournalFrames.writeFully(out, ByteBuffer.wrap(c), at);
                at += c.length;
            }
            out.force(true);
        }
        return aside;
    }

    /**
     * Appends one record and forces it to the device.
     *
     * @throws IllegalArgumentException  when the payload is larger than {@link #MAX_RECORD_BYTES}
     * @throws RetriableHandoffException when the write or the force failed (disk full, I/O error); the file is cut
     *                                   back to its previous end, so nothing partial stays behind
     */
    public synchronized void append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        ensureOpen();
        if (payload.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("journal record must be at most " + MAX_RECORD_BYTES + " bytes, was " + payload.length);
        }
        ByteBuffer frame = frame(payload);
        try {
            if (channel.size() != end) {
                // a previous failed append could not cut its partial frame: do it now, before writing after it
                channel.truncate(end);
            }
            JournalFrames.writeFully(channel, frame, end);
            channel.force(false);
            end += frame.limit();
        } catch (IOException e) {
            try {
                channel.truncate(end);
                channel.force(true);
            } catch (IOException ignored) {
                // the next append (or the next open) cuts it
            }
            throw new RetriableHandoffException("cannot append to journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the whole file with these records, atomically (compaction): written to a temporary file, forced,
     * locked, renamed over the journal, directory forced.
     *
     * @throws RetriableHandoffException when the disk write fails; the journal is unchanged
     */
    public synchronized void rewrite(List<byte[]> payloads) {
        ensureOpen();
        try {
            rewriteLocked(payloads);
        } catch (IOException e) {
            throw new RetriableHandoffException("cannot rewrite journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void rewriteLocked(List<byte[]> payloads) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        FileChannel out = SecureFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long at;
        FileLock newLock;
        try {
            JournalFrames.writeFully(out, ByteBuffer.wrap(JournalFrames.MAGIC), 0);
            at = JournalFrames.MAGIC.length;
            for (byte[] p : payloads) {
                ByteBuffer f = frame(p);
                JournalFrames.writeFully(out, f, at);
                at += f.limit();
            }
            out.force(true);
            newLock = tryLock(out);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        SecureFiles.forceDirectory(file.toAbsolutePath().getParent());
        FileChannel old = channel;
        channel = out;
        lock = newLock;
        end = at;
        old.close();
    }

    private ByteBuffer frame(byte[] payload) {
        byte flags = 0;
        byte[] body = payload;
        if (options.keys() != null) {
            body = options.keys().seal(payload, aad);
            flags = JournalFrames.SEALED;
        }
        return JournalFrames.frame(flags, body);
    }

    private FileLock tryLock(FileChannel ch) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new NonRetriableHandoffException("journal " + file + " is already open in another process or store");
        }
        return l;
    }

    /** What opening found. */
    public synchronized Recovery recovery() {
        return recovery;
    }

    /** The journal's file. */
    public Path file() {
        return file;
    }

    /** Bytes in the journal, header included. */
    public synchronized long size() {
        return end;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + file + " is closed");
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // opening failed already; that error is the one to report
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close journal " + file, e);
        }
    }
}
