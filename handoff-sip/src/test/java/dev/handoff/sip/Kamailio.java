package dev.handoff.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kamailio (Debian package {@code kamailio}) on 127.0.0.1 running a configuration from
 * {@code src/test/resources/kamailio}, in the foreground, logging to a file in its own temporary directory.
 * Skipped without kamailio on the PATH, except under CI=true, where that fails.
 */
final class Kamailio implements AutoCloseable {

    final int port;
    private final Process process;
    private final Path dir;

    private Kamailio(int port, Process process, Path dir) {
        this.port = port;
        this.process = process;
        this.dir = dir;
    }

    /**
     * Starts Kamailio on a free port. A port found free can be taken by another process before Kamailio binds it
     * (another build on the same machine, say): when Kamailio exits because its port is in use, it is started again
     * on another one, up to three times.
     */
    static Kamailio start(String config) throws Exception {
        Path binary = ExternalTool.require("kamailio");
        String text;
        try (InputStream in = Kamailio.class.getResourceAsStream("/kamailio/" + config)) {
            if (in == null) {
                throw new IllegalArgumentException("no configuration /kamailio/" + config + " on the test class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        for (int attempt = 1; ; attempt++) {
            int port = Ports.free();
            Path dir = Files.createTempDirectory("kamailio-");
            Path cfg = dir.resolve(config);
            Files.writeString(cfg, text.replace("@PORT@", Integer.toString(port)), StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(List.of(binary.toString(), "-f", cfg.toString(), "-DD", "-E", "-Y", dir.toString(),
                    "-m", "64", "-M", "8"))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
            Kamailio k = new Kamailio(port, p, dir);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (Ports.udpFree(port) && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            if (p.isAlive() && !Ports.udpFree(port)) {
                return k;
            }
            k.close();
            String log = k.log();
            if (!p.isAlive() && log.contains("Address already in use") && attempt < 3) {
                continue;   // the port was taken between Ports.free() and Kamailio's bind: another port
            }
            throw new IllegalStateException("kamailio did not start on udp port " + port + " (attempt " + attempt + "):\n" + log);
        }
    }

    /** The AOR-style URI of a user at this proxy, e.g. {@code sip:agent@127.0.0.1:5070}. */
    String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + port;
    }

    String log() {
        try {
            Path f = dir.resolve("kamailio.log");
            String s = Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
            return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
