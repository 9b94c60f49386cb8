package dev.handoff.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a payload with its golden file under src/test/resources/fixtures. Run once with
 * {@code -Dhandoff.golden.write=true} to (re)write the files, then read every changed file before committing it.
 */
public final class Golden {

    private Golden() {
    }

    public static void assertMatches(String fixture, String actualJson) {
        if (Boolean.getBoolean("handoff.golden.write")) {
            try {
                Path file = Path.of("src/test/resources" + fixture);
                Files.createDirectories(file.getParent());
                Files.writeString(file, CodecFixtures.json(actualJson).toPrettyString() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String expected;
        try {
            expected = Files.readString(Path.of("src/test/resources" + fixture), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("no golden file " + fixture + " (run with -Dhandoff.golden.write=true once)", e);
        }
        assertThat(CodecFixtures.json(actualJson)).as("payload matches " + fixture).isEqualTo(CodecFixtures.json(expected));
    }
}
