package dev.handoff.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    static Kamailio start(String config) throws Exception {
        Path binary = ExternalTool.require("kamailio");
        int port = Ports.free();
        Path dir = Files.createTempDirectory("kamailio-");
        String text;
        try (InputStream in = Kamailio.class.getResourceAsStream("/kamailio/" + config)) {
            if (in == null) {
                throw new IllegalArgumentException("no configuration /kamailio/" + config + " on the test class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("@PORT@", Integer.toString(port));
        }
        Path cfg = dir.resolve(config);
        Files.writeString(cfg, text, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(List.of(binary.toString(), "-f", cfg.toString(), "-DD", "-E", "-Y", dir.toString(),
                "-m", "64", "-M", "8"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        Kamailio k = new Kamailio(port, p, dir);
        try {
            Ports.awaitBound(port, false, Duration.ofSeconds(15));
        } catch (IllegalStateException e) {
            k.close();
            throw new IllegalStateException("kamailio did not start:\n" + k.log(), e);
        }
        return k;
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
