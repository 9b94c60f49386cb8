package dev.handoff.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One "instance" of an application in its own JVM, forked by a multi-instance test against the embedded PostgreSQL
 * the test started (the JDBC URL goes in its arguments): the test's class path, a small heap and the C1 compiler only,
 * so several children fit on 2 shared cores. Its stdout is read line by line on a thread of its own (the child's
 * report and protocol); its stderr goes to {@code <dir>/<name>.err}, whose tail failures quote. Lines to the child go
 * to its stdin. Used from the test's thread only (the reader thread only appends lines).
 */
final class ChildJvm implements AutoCloseable {

    /** The child's JVM options: 128 MB of heap, C1 only (short-lived, start-up dominated), class data sharing if available. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Writer stdin;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private ChildJvm(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "child-" + name + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Forks {@code mainClass} with {@code args}; its stderr goes to {@code dir/<name>.err}. */
    static ChildJvm start(Path dir, String name, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path err = dir.resolve(name + ".err");
        try {
            return new ChildJvm(name, new ProcessBuilder(command).redirectError(err.toFile()).start(), err);
        } catch (IOException e) {
            throw new UncheckedIOException("could not fork " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    /** The child's process id (what {@code kill -9} names). */
    long pid() {
        return process.pid();
    }

    /**
     * Waits until the child printed a line matching {@code match} at index {@code from} or later, and returns its
     * index; fails (quoting the child's lines and stderr) when the child's stdout ends first or {@code timeout} passes.
     */
    int awaitLine(int from, String what, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            for (int i = from; ; ) {
                for (; i < lines.size(); i++) {
                    if (match.test(lines.get(i))) {
                        return i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError(name + (ended ? " ended" : " timed out after " + timeout) + " before printing " + what
                            + "; last lines: " + tail(lines) + "; stderr: " + stderrTail());
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** A line one of several children printed: which child, and the line's index in its output. */
    record Found(ChildJvm child, int index) {
        String line() {
            return child.line(index);
        }
    }

    /**
     * Waits until any of {@code children} printed a line matching {@code match} (each watched on a thread of its own,
     * as {@link #awaitLine} from index 0) and returns the first found; fails when none did within {@code timeout}.
     */
    static Found awaitLineOnAny(List<ChildJvm> children, String what, Predicate<String> match, Duration timeout) throws InterruptedException {
        ExecutorService watchers = Executors.newFixedThreadPool(children.size());
        try {
            List<Callable<Found>> watches = new ArrayList<>();
            for (ChildJvm child : children) {
                watches.add(() -> new Found(child, child.awaitLine(0, what, match, timeout)));
            }
            return watchers.invokeAny(watches);   // the others are interrupted
        } catch (ExecutionException e) {
            throw new AssertionError("none of " + children.stream().map(ChildJvm::name).toList() + " printed " + what, e.getCause());
        } finally {
            watchers.shutdownNow();
        }
    }

    /** Writes one line to the child's stdin. */
    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the child to exit by itself and for its stdout to be read to the end; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "; stderr: " + stderrTail());
        }
        reader.join(TimeUnit.SECONDS.toMillis(60));
        return process.exitValue();
    }

    /**
     * Kills the child ({@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL, so no shutdown hook, finally
     * block or pending write runs) and waits until it is gone and its stdout is read to the end.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived kill -9");
        }
        reader.join(TimeUnit.SECONDS.toMillis(60));
    }

    /** The line at {@code index}, as returned by {@link #awaitLine}. */
    String line(int index) {
        synchronized (lines) {
            return lines.get(index);
        }
    }

    /** Every line the child printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String stderrTail() {
        try {
            String s = Files.readString(stderr);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills the child if it is still running (a test that failed half way leaves no JVM behind). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (lines) {
                lines.add("(reading stdout failed: " + e + ")");
            }
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    /** The child's side: prints one line of its report or protocol to stdout at once (lines from several threads never interleave). */
    static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static String tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 10), lines.size()).toString();
    }
}
