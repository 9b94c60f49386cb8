package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The text readers sit below the trigger engine and the observer, and the observer does not reach up into the
 * trigger engine: {@code trigger -> context -> text}, never back. Read from the sources' import lines.
 */
class PackageDependencyTest {

    private static final Path MAIN = Path.of("src/main/java/dev/handoff/core");

    @Test
    void the_text_package_depends_on_neither_the_trigger_engine_nor_the_observer() {
        assertThat(filesMentioning("text", "dev.handoff.core.trigger")).isEmpty();
        assertThat(filesMentioning("text", "dev.handoff.core.context")).isEmpty();
    }

    @Test
    void the_observer_does_not_depend_on_the_trigger_engine() {
        assertThat(filesMentioning("context", "dev.handoff.core.trigger")).isEmpty();
    }

    private static List<Path> filesMentioning(String pkg, String other) {
        Path dir = MAIN.resolve(pkg);
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> imports(f, other)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean imports(Path f, String other) {
        try {
            return Files.readAllLines(f).stream().map(String::strip)
                    .anyMatch(l -> l.startsWith("import " + other + ".") || l.startsWith("import static " + other + "."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
