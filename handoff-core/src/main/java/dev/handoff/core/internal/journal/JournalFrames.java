package dev.handoff.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte format of a {@link FileJournal}: the 8-byte header {@code HOJRNL02}, then frames {@code [marker FF 48 4A
 * 52][length: int32][flags: 1 byte][CRC32C of length, flags and payload: int32][payload]}, big-endian; how a frame is
 * built, found, checked and told apart from a torn last write.
 */
final class JournalFrames {

    static final byte[] MAGIC = "HOJRNL02".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MARKER = {(byte) 0xFF, 0x48, 0x4A, 0x52};
    static final int FRAME_HEADER = 13;
    /** Flag bit 0: the payload is sealed with AES-256-GCM. */
    static final byte SEALED = 1;

    private JournalFrames() {
    }

    /** A valid frame: its flags, its (possibly sealed) payload and its length on disk, header included. */
    record Frame(byte flags, byte[] payload, int length) {
    }

    /** The frame of a payload as written to disk. */
    static ByteBuffer frame(byte flags, byte[] body) {
        ByteBuffer buf = ByteBuffer.allocate(FRAME_HEADER + body.length);
        buf.put(MARKER).putInt(body.length).put(flags).putInt(crc(body.length, flags, body)).put(body).flip();
        return buf;
    }

    /** A frame read at a position, or null when the bytes there are not a valid frame. */
    static Frame frameAt(FileChannel channel, long pos, long size) throws IOException {
        if (pos + FRAME_HEADER > size) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(FRAME_HEADER);
        readFully(channel, h, pos);
        h.flip();
        for (byte b : MARKER) {
            if (h.get() != b) {
                return null;
            }
        }
        int length = h.getInt();
        byte flags = h.get();
        int crc = h.getInt();
        if (length < 0 || length > FileJournal.MAX_RECORD_BYTES + 512 || pos + FRAME_HEADER + length > size) {
            return null;
        }
        byte[] payload = read(channel, pos + FRAME_HEADER, length);
        if (crc(length, flags, payload) != crc) {
            return null;
        }
        return new Frame(flags, payload, FRAME_HEADER + length);
    }

    /** The next offset after {@code from} where a valid frame starts, or -1. */
    static long nextFrame(FileChannel channel, long from, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long base = from;
        while (base < size) {
            buf.clear();
            int n = channel.read(buf, base);
            if (n <= 0) {
                return -1;
            }
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == MARKER[0] && frameAt(channel, base + i, size) != null) {
                    return base + i;
                }
            }
            base += Math.max(1, n - MARKER.length + 1);
        }
        return -1;
    }

    /** True when the invalid tail is the start of a frame that did not finish: shorter than a header, or a length past the end. */
    static boolean tornWrite(FileChannel channel, long pos, long size) throws IOException {
        if (pos + FRAME_HEADER > size) {
            return true;
        }
        ByteBuffer h = ByteBuffer.allocate(FRAME_HEADER);
        readFully(channel, h, pos);
        h.flip();
        for (byte b : MARKER) {
            if (h.get() != b) {
                return false;
            }
        }
        int length = h.getInt();
        return length < 0 || pos + FRAME_HEADER + length > size;
    }

    static int crc(int length, byte flags, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(5).putInt(length).put(flags).flip());
        crc.update(payload, 0, payload.length);
        return (int) crc.getValue();
    }

    static byte[] read(FileChannel channel, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        readFully(channel, b, pos);
        return b.array();
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }

}
