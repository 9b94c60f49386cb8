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

    private Baresip(int port, Process process, Path home) {
        this.port = port;
        this.process = process;
        this.home = home;
    }

    static Baresip start(String user) throws Exception {
        Path binary = ExternalTool.require("baresip");
        int port = Ports.free();
        Path home = Files.createTempDirectory("baresip-");
        Files.writeString(home.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + port,
                "call_local_timeout 30",
                "call_max_calls 4",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module_tmp account.so",
                "module_app menu.so",
                ""), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("accounts"),
                "<sip:" + user + "@127.0.0.1:" + port + ">;regint=0;answermode=auto;call_transfer=yes\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(binary.toString(), "-f", home.toString(), "-t", "40")
                .redirectErrorStream(true).redirectOutput(home.resolve("baresip.log").toFile()).start();
        Ports.awaitBound(port, false, Duration.ofSeconds(10));
        return new Baresip(port, p, home);
    }

    String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + port;
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
