package dev.handoff.examples.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The page's static files, read once from {@code desktop/} on the class path. */
final class DeskPage {

    /** A file to serve. */
    record Asset(String contentType, byte[] bytes) {
    }

    static final String INDEX = "index.html";

    private static final Map<String, String> FILES = Map.of(
            INDEX, "text/html; charset=utf-8",
            "desktop.css", "text/css; charset=utf-8",
            "desktop.js", "text/javascript; charset=utf-8");

    private final Map<String, Asset> assets;

    private DeskPage(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    static DeskPage load() {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        FILES.forEach((name, type) -> {
            try (InputStream in = DeskPage.class.getClassLoader().getResourceAsStream("desktop/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("desktop page resource desktop/" + name + " is missing from the class path");
                }
                loaded.put(name, new Asset(type, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read desktop/" + name, e);
            }
        });
        return new DeskPage(loaded);
    }

    Asset index() {
        return assets.get(INDEX);
    }

    /** A public asset (style sheet, script) by file name; the page itself is not public. */
    Optional<Asset> publicAsset(String name) {
        return INDEX.equals(name) ? Optional.empty() : Optional.ofNullable(assets.get(name));
    }
}
