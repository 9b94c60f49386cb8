package dev.handoff.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * baresip 1.0.0 (Debian package) as a headless phone on 127.0.0.1 that answers automatically and honours REFER.
 * It exits 0 whatever happens, so tests assert on our side.
 */
final class Baresip implements AutoCloseable {

    final int port;
    private final Process process;
    private final Path home;

    private final String transport;

    private Baresip(int port, Process process, Path home, String transport) {
        this.port = port;
        this.process = process;
        this.home = home;
        this.transport = transport;
    }

    static Baresip start(String user) throws Exception {
        return start(user, "udp", null);
    }

    /**
     * A phone whose account uses {@code transport} (udp, tcp or tls). For TLS, {@code certificates} holds
     * {@code phone.pem} (its certificate and key) and {@code ca.pem} (what it trusts); baresip listens for TLS one
     * port above the UDP/TCP port, which {@link #port} then is.
     */
    static Baresip start(String user, String transport, Path certificates) throws Exception {
        // a port found free can be taken by another build before baresip binds it ("Address already in use" in a CI
        // run beside another build): then baresip is started again on another port, up to three times
        for (int attempt = 1; ; attempt++) {
            Baresip phone = startOnce(user, transport, certificates);
            if (phone != null) {
                return phone;
            }
            if (attempt == 3) {
                throw new IllegalStateException("baresip found its port taken three times in a row");
            }
        }
    }

    /** The phone, or null when its port was taken before it could bind it. */
    private static Baresip startOnce(String user, String transport, Path certificates) throws Exception {
        Path binary = ExternalTool.require("baresip");
        int base = Ports.free();
        while (!Ports.tcpFree(base + 1) || !Ports.udpFree(base + 1)) {
            base = Ports.free();
        }
        int port = transport.equals("tls") ? base + 1 : base;
        Path home = Files.createTempDirectory("baresip-");
        Files.writeString(home.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + base,
                certificates == null ? "" : "sip_certificate " + certificates.resolve("phone.pem"),
                certificates == null ? "" : "sip_cafile " + certificates.resolve("ca.pem"),
                "call_local_timeout 30",
                "call_max_calls 4",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module_tmp account.so",
                "module_app menu.so",
                ""), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("accounts"),
                "<sip:" + user + "@127.0.0.1:" + port + (transport.equals("udp") ? "" : ";transport=" + transport)
                        + ">;regint=0;answermode=auto;call_transfer=yes\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(binary.toString(), "-f", home.toString(), "-t", "40")
                .redirectErrorStream(true).redirectOutput(home.resolve("baresip.log").toFile()).start();
        Baresip phone = new Baresip(port, p, home, transport);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (transport.equals("udp") ? Ports.udpFree(port) : Ports.tcpFree(port)) {
            if (phone.log().contains("Address already in use")) {
                phone.close();
                return null;
            }
            if (System.nanoTime() > end || !p.isAlive()) {
                phone.close();
                throw new IllegalStateException("baresip did not bind " + transport + " port " + port + " within 10 s:\n" + phone.log());
            }
            Thread.sleep(20);
        }
        return phone;
    }

    String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + port + (transport.equals("udp") ? "" : ";transport=" + transport);
    }

    String log() {
        try {
            return Files.readString(home.resolve("baresip.log"));
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
