package dev.handoff.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.handoff.core.trigger.TriggerPolicy;
import dev.handoff.crm.mapping.FieldMapping;
import dev.handoff.spring.HandoffProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Every YAML and properties block in the READMEs is loaded by what would read it in a user's hands, so a README that
 * documents a setting that does not exist, or a document a loader refuses, fails the build:
 * <ul>
 *   <li>Spring configuration (a YAML block with a top-level {@code handoff:} key, and every properties block) is read
 *   by Spring Boot's own loaders and its {@code handoff.*} properties are bound to the starter's {@link HandoffProperties}
 *   with Spring's {@link Binder}, refusing unknown keys (as the starter does at startup) and values of the wrong type;</li>
 *   <li>a CRM field mapping (top-level {@code fields:}) loads through {@link FieldMapping#fromYaml};</li>
 *   <li>any other YAML block is a trigger policy and loads through the project's policy loader
 *   ({@link TriggerPolicy#parse}).</li>
 * </ul>
 * A block preceded by {@code <!-- snippet: path#region -->} must also equal that region of the file, marked with
 * {@code # tag::region[]} and {@code # end::region[]} lines, as Java blocks are ({@link ReadmeSnippetsTest}).
 */
class ReadmeConfigBlocksTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern FENCE = Pattern.compile("( *)```(yaml|yml|properties)");

    /** A fenced block: where it is, its language, its marker's source and region (or null), and its text. */
    record Fenced(String where, String language, String source, String region, String text) {
    }

    @Test
    void every_yaml_and_properties_block_loads_through_what_reads_it() {
        List<Fenced> blocks = fenced();
        List<String> kinds = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Fenced block : blocks) {
            try {
                kinds.add(block.where() + ": " + check(block.language(), block.text()));
            } catch (RuntimeException | AssertionError e) {
                failures.add(block.where() + ": " + messages(e));
            }
        }

        assertThat(failures).as("README configuration blocks that do not load").isEmpty();
        assertThat(kinds).anyMatch(k -> k.startsWith("handoff-core/README.md") && k.endsWith("trigger policy"))
                .anyMatch(k -> k.startsWith("handoff-crm-adapters/README.md") && k.endsWith("field mapping"))
                .anyMatch(k -> k.startsWith("handoff-spring-boot-starter/README.md") && k.endsWith("handoff.* properties"))
                .anyMatch(k -> k.startsWith("handoff-examples/README.md") && k.endsWith("handoff.* properties"));
    }

    @Test
    void a_marked_block_is_its_source_region_character_for_character() {
        List<Fenced> marked = fenced().stream().filter(b -> b.source() != null).toList();

        assertThat(marked).extracting(Fenced::source).contains("handoff-examples/src/main/resources/application.yml");
        for (Fenced block : marked) {
            assertThat(block.text()).as("%s must equal %s#%s", block.where(), block.source(), block.region())
                    .isEqualTo(ReadmeSnippetsTest.region(ReadmeSnippetsTest.ROOT.resolve(block.source()), block.region()));
        }
    }

    /** The check is not a formality: each of these blocks is refused, naming what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a misspelt handoff property                  | yaml       | 'handoff:\\n  max-wiat: 2m'                           | handoff.max-wiat
            a property the starter does not have         | yaml       | 'handoff:\\n  store:\\n    postgres:\\n      pool-size: 4' | handoff.store.postgres.pool-size
            a duration that is not one                   | yaml       | 'handoff:\\n  max-wait: soon'                          | handoff.max-wait
            a misspelt property in a properties block    | properties | 'handoff.voice-mod=warm'                              | handoff.voice-mod
            a store type that does not exist             | properties | 'handoff.store.type=redis'                            | handoff.store.type
            YAML that does not parse                     | yaml       | 'name: [unclosed'                                     | does not parse
            a trigger policy field that does not exist   | yaml       | 'name: p\\nconfidence:\\n  softThreshhold: 0.7'        | softThreshhold
            a trigger policy threshold out of range      | yaml       | 'name: p\\nconfidence:\\n  softThreshold: 7'           | confidence.softThreshold
            a field mapping path into nothing            | yaml       | 'fields:\\n  - from: $.customer.feilds.email\\n    to: email' | fields[0].from
            """)
    void a_wrong_block_is_refused_naming_what_is_wrong(String what, String language, String text, String named) {
        String block = text.replace("\\n", "\n") + "\n";

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> check(language, block));

        assertThat(refused).as(what).isNotNull();
        assertThat(messages(refused)).as(what).contains(named);
    }

    /** Loads one block; returns what it was read as, or throws naming what is wrong. */
    static String check(String language, String text) {
        if (language.equals("properties")) {
            bindHandoff(load(new PropertiesPropertySourceLoader(), text));
            return "handoff.* properties";
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("the YAML does not parse: " + e.getMessage(), e);
        }
        if (root != null && root.has("handoff")) {
            bindHandoff(load(new YamlPropertySourceLoader(), text));
            return "handoff.* properties";
        }
        if (root != null && root.has("fields")) {
            FieldMapping.fromYaml(text);
            return "field mapping";
        }
        TriggerPolicy.parse(text);
        return "trigger policy";
    }

    /**
     * Binds every {@code handoff.*} property of the block to the starter's properties as the starter does
     * ({@code ignoreUnknownFields = false}): an unknown key or a value of the wrong type fails. Placeholders resolve
     * to their defaults; one without a default (a secret from the environment) stays as written.
     */
    private static void bindHandoff(List<PropertySource<?>> loaded) {
        MutablePropertySources sources = new MutablePropertySources();
        loaded.forEach(sources::addLast);
        Binder binder = new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
        binder.bind("handoff", Bindable.ofInstance(new HandoffProperties()), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
    }

    private static List<PropertySource<?>> load(org.springframework.boot.env.PropertySourceLoader loader, String text) {
        try {
            return loader.load("README block", new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }

    /** The YAML and properties blocks of every README (fences may be indented, as in a list). */
    static List<Fenced> fenced() {
        List<Fenced> blocks = new ArrayList<>();
        for (Path readme : ReadmeSnippetsTest.readmes()) {
            String name = ReadmeSnippetsTest.ROOT.relativize(readme).toString();
            List<String> lines = read(readme).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                Matcher fence = FENCE.matcher(lines.get(i));
                if (!fence.matches()) {
                    continue;
                }
                String indent = fence.group(1);
                Matcher marker = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->").matcher(i > 0 ? lines.get(i - 1).strip() : "");
                boolean isMarked = marker.matches();
                List<String> body = new ArrayList<>();
                int j = i + 1;
                while (!lines.get(j).equals(indent + "```")) {
                    String line = lines.get(j++);
                    body.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
                }
                blocks.add(new Fenced(name + ":" + (i + 1), fence.group(2), isMarked ? marker.group(1) : null,
                        isMarked ? marker.group(2) : null, body.stream().collect(Collectors.joining("\n", "", "\n"))));
                i = j;
            }
        }
        return blocks;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
