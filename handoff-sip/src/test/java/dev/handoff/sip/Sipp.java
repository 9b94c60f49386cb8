package dev.handoff.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One SIPp process running a scenario from {@code src/test/resources/sipp} in its own temporary directory, on
 * 127.0.0.1. Its exit code is the verdict: 0 all calls passed, 1 some failed, 255 global timeout.
 */
final class Sipp implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final String scenario;
    final int port;

    private Sipp(Process process, Path dir, String scenario, int port) {
        this.process = process;
        this.dir = dir;
        this.scenario = scenario;
        this.port = port;
    }

    /** A UAS scenario (the agent) on {@code port}; returns once the port is bound. */
    static Sipp server(String scenario, int port, int calls, String... extra) throws Exception {
        return server(scenario, Map.of(), port, calls, extra);
    }

    /** Like {@link #server(String, int, int, String...)}, replacing {@code @NAME@} placeholders in the scenario text. */
    static Sipp server(String scenario, Map<String, String> placeholders, int port, int calls, String... extra) throws Exception {
        return bound(scenario, placeholders, port, calls, null, extra);
    }

    /** A UAC scenario (the customer) on {@code port} calling 127.0.0.1:{@code remotePort}. */
    static Sipp client(String scenario, int port, int remotePort, int calls, String... extra) throws Exception {
        return bound(scenario, Map.of(), port, calls, "127.0.0.1:" + remotePort, extra);
    }

    /** Like {@link #client(String, int, int, int, String...)}, replacing {@code @NAME@} placeholders in the scenario. */
    static Sipp client(String scenario, Map<String, String> placeholders, int port, int remotePort, int calls, String... extra)
            throws Exception {
        return bound(scenario, placeholders, port, calls, "127.0.0.1:" + remotePort, extra);
    }

    /**
     * Starts SIPp and returns once it has bound its port. Other builds on this machine take free ports too: when
     * the port was taken in between, SIPp is started again on another free one ({@link #port} says which).
     */
    private static Sipp bound(String scenario, Map<String, String> placeholders, int port, int calls, String remote,
                              String... extra) throws Exception {
        boolean tcp = List.of(extra).contains("t1") || List.of(extra).contains("tn");
        for (int attempt = 1; ; attempt++) {
            Sipp sipp = start(scenario, placeholders, port, calls, remote, extra);
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // a loaded machine can take seconds to start SIPp; a SIPp that exited (port taken, bad scenario) says why
            while (tcp ? Ports.tcpFree(port) : Ports.udpFree(port)) {
                if (!sipp.process.isAlive()) {
                    if (sipp.read("stderr.txt").contains("Address already in use") && attempt < 5) {
                        break;
                    }
                    throw new IllegalStateException("SIPp exited with " + sipp.process.exitValue() + " before binding port " + port
                            + "\n" + sipp.report());
                }
                if (System.nanoTime() > end) {
                    sipp.close();
                    throw new IllegalStateException("SIPp did not bind port " + port + " within 20 s\n" + sipp.report());
                }
                Thread.sleep(20);
            }
            if (sipp.process.isAlive() || sipp.process.exitValue() == 0) {
                return sipp;
            }
            port = Ports.free();
        }
    }

    private static Sipp start(String scenario, Map<String, String> placeholders, int port, int calls, String remote,
                              String... extra) throws Exception {
        Path sippBinary = ExternalTool.require("sipp");
        Path dir = Files.createTempDirectory("sipp-" + scenario.replace(".xml", "") + "-");
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario /sipp/" + scenario + " on the test class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> p : placeholders.entrySet()) {
                text = text.replace("@" + p.getKey() + "@", p.getValue());
            }
            // @NAME=default@: the given value, else the default written in the scenario
            text = java.util.regex.Pattern.compile("@([A-Z_]+)=([^@]*)@").matcher(text)
                    .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(placeholders.getOrDefault(m.group(1), m.group(2))));
            Files.writeString(dir.resolve(scenario), text, StandardCharsets.ISO_8859_1);
        }
        List<String> cmd = new ArrayList<>(List.of(sippBinary.toString(), "-sf", scenario, "-i", "127.0.0.1", "-p",
                Integer.toString(port), "-m", Integer.toString(calls), "-nostdin", "-trace_err", "-trace_logs",
                "-log_file", "actions.log", "-timeout", "40s", "-timeout_error", "-max_recv_loops", "1000",
                // answer an in-dialog OPTIONS (the bot's keepalive) that the scenario does not expect, as a phone does
                "-aa"));
        cmd.addAll(List.of(extra));
        if (remote != null) {
            cmd.add(remote);
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        return new Sipp(p, dir, scenario, port);
    }

    /** Waits for the exit code; kills SIPp and returns -1 when it does not exit in time. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** What the scenario's log actions wrote. */
    String log() {
        return read("actions.log");
    }

    /** How many received messages start with {@code startLine} in the -trace_msg log (retransmitted copies included). */
    long received(String startLine) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("_messages.log"))
                    .flatMap(f -> read(f.getFileName().toString()).lines())
                    .filter(l -> l.startsWith(startLine)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The -trace_msg log: every message SIPp sent and received, in order, each after a line of dashes and a timestamp. */
    String messageTrace() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("_messages.log"))
                    .map(f -> read(f.getFileName().toString())).reduce("", String::concat);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything SIPp reported, for assertion messages. */
    String report() {
        StringBuilder out = new StringBuilder(scenario).append(" in ").append(dir).append('\n');
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().contains("errors") || f.getFileName().toString().equals("stderr.txt"))
                    .forEach(f -> out.append("== ").append(f.getFileName()).append('\n').append(tail(read(f.getFileName().toString()))));
        } catch (IOException e) {
            out.append(e);
        }
        return out.append("== actions.log\n").append(log()).toString();
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    private String read(String name) {
        Path f = dir.resolve(name);
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
