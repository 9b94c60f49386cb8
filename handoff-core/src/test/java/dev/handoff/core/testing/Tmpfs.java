package dev.handoff.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small tmpfs for disk-full tests: {@code mount -t tmpfs -o size=2m,mode=0700 tmpfs <dir>}. Needs root (or
 * CAP_SYS_ADMIN); {@link #mount} says why it could not, so the test can skip with that reason.
 *
 * <p>Test code only: handoff-core's test-jar carries this package alone, so the disk-full tests of handoff-core
 * ({@code DiskFullTest}) and handoff-crm-adapters ({@code OutboxCrashTest}) share one copy.
 */
public final class Tmpfs implements AutoCloseable {

    /** The mount point. */
    public final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** The mounted file system, or null with the reason in {@code why[0]}. */
    public static Tmpfs mount(Path dir, String size, String[] why) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p;
        try {
            p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            why[0] = "cannot run mount: " + e.getMessage();
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            why[0] = "mount -t tmpfs failed (needs root or CAP_SYS_ADMIN): " + out;
            return null;
        }
        return new Tmpfs(dir);
    }

    /** Fills every byte left, in shrinking chunks, and returns the filler file (delete it to free the space). */
    public Path fill() throws IOException {
        Path filler = dir.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
            for (int chunk = 64 * 1024; chunk >= 1; chunk /= 4) {
                byte[] b = new byte[chunk];
                try {
                    while (true) {
                        out.write(b);
                        out.flush();
                    }
                } catch (IOException full) {
                    // this chunk size no longer fits; try a smaller one
                }
            }
        } catch (IOException closingOnFullDisk) {
            // the last flush on close can fail too; the file is as full as it gets
        }
        return filler;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    }
}
