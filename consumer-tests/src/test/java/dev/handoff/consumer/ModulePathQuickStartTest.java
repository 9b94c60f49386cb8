package dev.handoff.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JPMS consumer: a module that {@code requires dev.handoff.core}, whose one class is the root README's quick start
 * (read from README.md, given a package because a named module has no unnamed package), compiled and run with every
 * runtime dependency of handoff-core on the module path and nothing on the class path, as {@code java -p libs -m app}.
 * The module path is what {@code dependency:build-classpath} wrote for this module's runtime scope. JSpecify's
 * annotations jar is on it when compiling and left off when running: handoff-api and handoff-core require it
 * {@code static}, so a consumer that leaves it out still runs.
 */
class ModulePathQuickStartTest {

    private static final Path MODULE_DIR = Path.of("").toAbsolutePath();

    @TempDir
    Path work;

    @Test
    void readme_quick_start_runs_as_a_named_module_on_the_module_path() throws Exception {
        Path sources = work.resolve("src");
        Path classes = work.resolve("classes");
        Path main = sources.resolve("com/example/quickstart/QuickStart.java");
        Files.createDirectories(main.getParent());
        Files.writeString(sources.resolve("module-info.java"),
                "module com.example.quickstart {\n    requires dev.handoff.core;\n}\n");
        Files.writeString(main, "package com.example.quickstart;\n\n" + readmeQuickStart());
        String modulePath = Files.readString(MODULE_DIR.resolve("target/module-path.txt")).strip();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "--release", "17", "--module-path", modulePath,
                "-d", classes.toString(), sources.resolve("module-info.java").toString(), main.toString());
        assertThat(compiled).as("javac exit code").isZero();

        String runtimeModulePath = java.util.Arrays.stream(modulePath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jspecify-"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
        assertThat(modulePath).as("JSpecify is on the compile module path").contains("jspecify-");
        assertThat(runtimeModulePath).doesNotContain("jspecify-");

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", classes + File.pathSeparator + runtimeModulePath,
                "-m", "com.example.quickstart/com.example.quickstart.QuickStart").start();
        CompletableFuture<String> stdout = readAll(process.getInputStream());
        CompletableFuture<String> stderr = readAll(process.getErrorStream());
        try {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the quick start ends").isTrue();
        } finally {
            process.destroyForcibly();
        }

        assertThat(process.exitValue()).as("exit code; stderr:%n%s", stderr.join()).isZero();
        assertThat(stdout.join().lines()).containsExactly(
                "Alice reads the whisper first: Not stated yet: the customer has not said what they want",
                "CONNECTED to alice");
        // Hibernate Validator's version line comes through SLF4J (slf4j-simple), not java.util.logging
        assertThat(stderr.join().lines())
                .anyMatch(l -> l.contains("INFO org.hibernate.validator.internal.util.Version - HV000001"))
                .noneMatch(l -> l.startsWith("INFO: HV000001"));
    }

    /** The README block marked {@code #quick-start}, as a reader copies it. */
    private static String readmeQuickStart() throws IOException {
        List<String> lines = Files.readAllLines(MODULE_DIR.getParent().resolve("README.md"));
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("<!-- snippet: ") && lines.get(i).endsWith("#quick-start -->")) {
                marker = i;
            }
        }
        assertThat(marker).as("README.md has the quick-start snippet marker").isNotNegative();
        assertThat(lines.get(marker + 1)).isEqualTo("```java");
        int end = lines.subList(marker + 2, lines.size()).indexOf("```") + marker + 2;
        return String.join("\n", lines.subList(marker + 2, end)) + "\n";
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
