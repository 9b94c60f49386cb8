package dev.handoff.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * JAIN-SIP RI has no module name of its own, so handoff-sip does not require it from a module descriptor (Maven
 * warns not to publish that): the handoff-sip jar is the automatic module {@code dev.handoff.sip}, which reads the
 * class path, where JAIN-SIP stays. A JPMS application writes {@code requires dev.handoff.sip;}.
 */
class SipAutomaticModuleTest {

    @Test
    void handoff_sip_jar_is_the_automatic_module_dev_handoff_sip() {
        Path jar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("handoff-sip-") && p.toString().endsWith(".jar"))
                .findFirst().orElseThrow(() -> new AssertionError("the handoff-sip jar on the test class path"));

        ModuleDescriptor module = ModuleFinder.of(jar).findAll().stream().map(ModuleReference::descriptor)
                .findFirst().orElseThrow();

        assertThat(module.name()).isEqualTo("dev.handoff.sip");
        assertThat(module.isAutomatic()).isTrue();
        assertThat(module.packages()).contains("dev.handoff.sip");
    }
}
