package dev.handoff.sip;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The kernel's count of datagrams dropped on arrival at a local UDP port (the last column, {@code drops}, of
 * {@code /proc/net/udp} and {@code /proc/net/udp6}; a Java socket bound to 127.0.0.1 may be an IPv6 socket with a
 * mapped address, so both tables are read). Linux only: elsewhere the test using it is skipped, except under
 * {@code CI=true} on Linux, where a missing table fails.
 */
final class UdpDrops {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private UdpDrops() {
    }

    /** Skips the calling test where the kernel does not publish per-socket drops (not Linux, no /proc). */
    static void requireCounters() {
        boolean present = TABLES.stream().anyMatch(Files::isReadable);
        if (!present) {
            boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
            if (linux && "true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("/proc/net/udp is not readable on Linux with CI=true: the drop check cannot run");
            }
            assumeTrue(false, "/proc/net/udp is not available on this system; the kernel's UDP drop counters cannot be read");
        }
    }

    /** The drops of every UDP socket bound to {@code port}, summed; empty when no socket is bound to it. */
    static OptionalLong dropsAt(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        long sum = 0;
        boolean found = false;
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 13 && columns[1].toUpperCase(Locale.ROOT).endsWith(hexPort)) {
                    sum += Long.parseLong(columns[columns.length - 1]);
                    found = true;
                }
            }
        }
        return found ? OptionalLong.of(sum) : OptionalLong.empty();
    }
}
