package dev.handoff.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/** Every package the module exports to everyone is JSpecify {@code @NullMarked}, so null checkers read the API right. */
class NullMarkedPackagesTest {

    @Test
    void every_exported_package_is_null_marked() throws Exception {
        List<String> exported = unqualifiedExports("dev.handoff.api");

        assertThat(exported).contains("dev.handoff.api", "dev.handoff.api.spi");
        assertThat(exported).allSatisfy(p -> assertThat(nullMarked(p)).as("package %s is @NullMarked", p).isTrue());
    }

    /** The packages a module exports to every reader, read from its compiled module-info on the class path. */
    static List<String> unqualifiedExports(String module) throws IOException {
        for (URL url : Collections.list(NullMarkedPackagesTest.class.getClassLoader().getResources("module-info.class"))) {
            try (InputStream in = url.openStream()) {
                ModuleDescriptor d = ModuleDescriptor.read(in);
                if (d.name().equals(module)) {
                    List<String> out = new ArrayList<>();
                    d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> out.add(e.source()));
                    return out;
                }
            }
        }
        throw new AssertionError("no module-info.class of " + module + " on the class path");
    }

    static boolean nullMarked(String pkg) {
        try {
            return Class.forName(pkg + ".package-info").isAnnotationPresent(NullMarked.class);
        } catch (ClassNotFoundException e) {
            return false;   // no package-info.java: not marked
        }
    }
}
