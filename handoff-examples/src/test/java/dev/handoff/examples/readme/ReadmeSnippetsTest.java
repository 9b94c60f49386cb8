package dev.handoff.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in the READMEs is a region of a compiled test source, character for character. A README block is
 * preceded by {@code <!-- snippet: path/from/repo/root.java#region -->}; the source marks the region with
 * {@code // tag::region[]} and {@code // end::region[]} lines (their common indentation is removed). The sources are
 * compiled, and run by the tests next to them unless they need a production host, a CRM, an LLM endpoint or a SIP
 * peer (each such source says which test runs the same calls), so a README snippet that stops compiling fails the build.
 */
class ReadmeSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

    /** The reactor root: this module's parent directory (surefire runs in the module directory). */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void every_marked_readme_block_is_its_source_region_character_for_character() {
        List<Block> marked = blocks().stream().filter(b -> b.source() != null).toList();

        assertThat(marked).extracting(Block::where).contains("README.md: quick-start", "README.md: runtime-sizing",
                "handoff-desktop/README.md: start-desktop", "handoff-desktop/README.md: chat-relay",
                "handoff-spring-boot-starter/README.md: support-chat");
        for (Block block : marked) {
            assertThat(block.text())
                    .as("%s must equal %s#%s", block.where(), block.source(), block.region())
                    .isEqualTo(region(ROOT.resolve(block.source()), block.region()));
        }
    }

    @Test
    void every_java_block_is_marked() {
        List<String> unmarked = blocks().stream().filter(b -> b.source() == null)
                .map(b -> b.readme() + ": " + b.text().lines().findFirst().orElse(""))
                .toList();

        assertThat(unmarked).as("every README Java block needs a snippet marker and a compiled source region").isEmpty();
    }

    @Test
    void the_consumer_project_runs_the_same_quick_start() {
        Path consumer = ROOT.resolve("consumer-tests/src/it/consumer/src/main/java/QuickStart.java");

        assertThat(region(consumer, "quick-start")).isEqualTo(region(
                ROOT.resolve("handoff-examples/src/test/java/dev/handoff/examples/readme/QuickStart.java"), "quick-start"));
    }

    record Block(String readme, String source, String region, String text) {
        String where() {
            return source == null ? readme : readme + ": " + region;
        }
    }

    /** The Java blocks of the root README and of every module README, each with its marker's source (or null). */
    static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        for (Path readme : readmes()) {
            String name = ROOT.relativize(readme).toString();
            List<String> lines = read(readme).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                // a fence may be indented (a block inside a list item): its lines are read without that indentation
                if (!lines.get(i).strip().equals("```java")) {
                    continue;
                }
                int indent = lines.get(i).indexOf('`');
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : MARKER.matcher("");
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (!lines.get(j).strip().equals("```")) {
                    String line = lines.get(j++);
                    int cut = Math.min(indent, line.length() - line.stripLeading().length());
                    text.append(line.substring(cut)).append('\n');
                }
                boolean isMarked = marker.matches();
                blocks.add(new Block(name, isMarked ? marker.group(1) : null, isMarked ? marker.group(2) : null,
                        text.toString()));
                i = j;
            }
        }
        return blocks;
    }

    static List<Path> readmes() {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return Stream.concat(Stream.of(ROOT.resolve("README.md")),
                    modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines between {@code // tag::name[]} and {@code // end::name[]} ({@code # tag::name[]} in YAML and
     * properties files), without their common indentation.
     */
    static String region(Path source, String name) {
        List<String> lines = read(source).lines().toList();
        String comment = source.toString().endsWith(".java") ? "// " : "# ";
        int start = lines.stream().map(String::strip).toList().indexOf(comment + "tag::" + name + "[]");
        int end = lines.stream().map(String::strip).toList().indexOf(comment + "end::" + name + "[]");
        assertThat(start).as("%s has %stag::%s[]", source, comment, name).isNotNegative();
        assertThat(end).as("%s has %send::%s[] after its tag", source, comment, name).isGreaterThan(start);
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n", "", "\n"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
