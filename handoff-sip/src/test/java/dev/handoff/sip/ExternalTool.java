package dev.handoff.sip;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds an external tool on the PATH: skips the test without it, unless CI=true, where a missing tool fails. */
final class ExternalTool {

    private ExternalTool() {
    }

    static Path require(String name) {
        Optional<Path> found = find(name);
        if (found.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(name + " is not installed but CI=true: install it (Debian: " + (name.equals("sipp") ? "sip-tester" : name) + "; .ci/run does)");
            }
            assumeTrue(false, name + " is not installed; skipping");
        }
        return found.get();
    }

    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
