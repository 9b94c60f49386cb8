package dev.handoff.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a company checks before it depends on us: the BOM lists exactly the modules that are published (every reactor
 * module except those that skip deployment), and the POMs carry what Maven Central requires (url, license,
 * developers, scm) next to LICENSE and NOTICE files.
 */
class PublishedArtifactsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void bom_lists_exactly_the_published_modules() throws Exception {
        List<String> published = new ArrayList<>();
        for (String module : texts(pom(ROOT), "modules", "module")) {
            Element pom = pom(ROOT.resolve(module));
            boolean skipsDeploy = texts(pom, "properties", "maven.deploy.skip").contains("true");
            if (!skipsDeploy && !module.equals("handoff-bom")) {
                published.add(child(pom, "artifactId").getTextContent().strip());
            }
        }
        Element bom = pom(ROOT.resolve("handoff-bom"));
        Element managed = child(child(bom, "dependencyManagement"), "dependencies");
        List<String> listed = new ArrayList<>();
        for (Element dependency : children(managed, "dependency")) {
            listed.add(child(dependency, "artifactId").getTextContent().strip());
        }

        assertThat(listed).containsExactlyInAnyOrderElementsOf(published)
                .doesNotContain("handoff-examples", "benchmarks", "consumer-tests");
    }

    @Test
    void poms_carry_the_metadata_maven_central_requires_and_the_license_files_exist() throws Exception {
        for (Element pom : List.of(pom(ROOT), pom(ROOT.resolve("handoff-bom")))) {
            assertThat(child(pom, "url").getTextContent()).startsWith("https://");
            assertThat(child(child(child(pom, "licenses"), "license"), "name").getTextContent()).isEqualTo("Apache-2.0");
            assertThat(children(child(pom, "developers"), "developer")).isNotEmpty();
            assertThat(child(child(pom, "scm"), "connection").getTextContent()).startsWith("scm:git:");
        }
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        assertThat(Files.readString(ROOT.resolve("NOTICE"))).startsWith("Handoff\n");
        assertThat(texts(pom(ROOT), "properties", "project.build.outputTimestamp")).singleElement()
                .matches(t -> t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), "an ISO-8601 UTC instant");
    }

    private static Element pom(Path moduleDir) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(moduleDir.resolve("pom.xml").toFile());
        return document.getDocumentElement();
    }

    /** Text of each {@code <leaf>} under the project's direct child {@code <section>}. */
    private static List<String> texts(Element pom, String section, String leaf) {
        List<String> texts = new ArrayList<>();
        for (Element s : children(pom, section)) {
            for (Element l : children(s, leaf)) {
                texts.add(l.getTextContent().strip());
            }
        }
        return texts;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }
}
