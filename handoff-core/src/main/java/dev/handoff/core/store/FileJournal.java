package dev.handoff.core.store;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only record file that survives a crash at any point.
 *
 * <p>Layout: the 8-byte header {@code HOJRNL01}, then records of {@code [length: int32][crc32c of payload:
 * int32][payload]}, big-endian. {@link #append} writes one record with a single positional write and forces it
 * to the device ({@link FileChannel#force}) before it returns, so an acknowledged record is on disk.
 *
 * <p>Opening a journal reads every record in order. The first record that is incomplete (a torn write: the process
 * was killed or the machine lost power mid-write) or whose checksum does not match ends the journal: the file is
 * truncated there, so every complete record is kept and no garbage is ever returned, and later appends continue
 * from a clean end. {@link #recovery()} says what was found.
 *
 * <p>One process may have a journal open at a time (an OS file lock enforces it). {@link #append} is thread-safe.
 */
public final class FileJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
    private static final byte[] MAGIC = "HOJRNL01".getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_HEADER = 8;
    /** The largest payload accepted. */
    public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    /**
     * What opening the journal found.
     *
     * @param records        complete records kept
     * @param validBytes     the file length after recovery
     * @param truncatedBytes bytes of a torn or corrupt tail that were cut off (0 after a clean shutdown)
     */
    public record Recovery(int records, long validBytes, long truncatedBytes) {
    }

    private final Path file;
    private final FileChannel channel;
    private final java.nio.channels.FileLock lock;
    private final Recovery recovery;
    private long end;

    private FileJournal(Path file, FileChannel channel, java.nio.channels.FileLock lock, Recovery recovery, long end) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.recovery = recovery;
        this.end = end;
    }

    /**
     * Opens (creating if missing) and recovers a journal, handing each complete record's payload to
     * {@code replay} in order.
     *
     * @throws NonRetriableHandoffException when the file is not a journal or is locked by another process
     * @throws UncheckedIOException         when the file cannot be read or written
     */
    public static FileJournal open(Path file, java.util.function.Consumer<byte[]> replay) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(replay, "replay");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new NonRetriableHandoffException("journal " + file + " is already open in another process or store");
            }
            long size = ch.size();
            if (size < MAGIC.length) {
                // new file, or one torn while its header was being written
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(MAGIC), 0);
                ch.force(true);
                return new FileJournal(file, ch, lock, new Recovery(0, MAGIC.length, size), MAGIC.length);
            }
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            readFully(ch, magic, 0);
            if (!java.util.Arrays.equals(magic.array(), MAGIC)) {
                lock.release();
                ch.close();
                throw new NonRetriableHandoffException("file " + file + " is not a Handoff journal (header "
                        + new String(magic.array(), StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "?") + ", expected HOJRNL01)");
            }
            long pos = MAGIC.length;
            int records = 0;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            CRC32C crc = new CRC32C();
            while (pos + RECORD_HEADER <= size) {
                header.clear();
                readFully(ch, header, pos);
                header.flip();
                int length = header.getInt();
                int expected = header.getInt();
                if (length < 0 || length > MAX_RECORD_BYTES || pos + RECORD_HEADER + length > size) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(ch, payload, pos + RECORD_HEADER);
                crc.reset();
                crc.update(payload.array(), 0, length);
                if ((int) crc.getValue() != expected) {
                    break;
                }
                replay.accept(payload.array());
                records++;
                pos += RECORD_HEADER + length;
            }
            long truncated = size - pos;
            if (truncated > 0) {
                LOG.warn("Journal {}: cut {} bytes of a torn or corrupt tail after {} complete records", file, truncated, records);
                ch.truncate(pos);
                ch.force(true);
            }
            return new FileJournal(file, ch, lock, new Recovery(records, pos, truncated), pos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file, e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }

    /**
     * Appends one record and forces it to the device.
     *
     * @throws IllegalArgumentException  when the payload is larger than {@link #MAX_RECORD_BYTES}
     * @throws RetriableHandoffException when the write or the force failed (disk full, I/O error); the journal
     *                                   is rolled back to its previous end
     */
    public synchronized void append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("journal record must be at most " + MAX_RECORD_BYTES + " bytes, was " + payload.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length);
        ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + payload.length);
        buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        long at = end;
        try {
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
            channel.force(false);
            end = at;
        } catch (IOException e) {
            try {
                channel.truncate(end);
            } catch (IOException ignored) {
                // the next open cuts the torn tail anyway
            }
            throw new RetriableHandoffException("cannot append to journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** What opening found. */
    public Recovery recovery() {
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

    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close journal " + file, e);
        }
    }
}
