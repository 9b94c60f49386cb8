package dev.handoff.desktop.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The pages' static files, read once from {@code dev/handoff/desktop/web/} in this module. */
final class Assets {

    /** A file to serve. */
    record Asset(String contentType, byte[] bytes) {
    }

    /** Pages that need a session; everything else listed here is public (style sheets, scripts, the sign-in page). */
    static final String DESK = "desk.html";
    static final String WALLBOARD = "wallboard.html";
    static final String SIGN_IN = "signin.html";

    private static final Map<String, String> FILES = Map.of(
            DESK, "text/html; charset=utf-8",
            WALLBOARD, "text/html; charset=utf-8",
            SIGN_IN, "text/html; charset=utf-8",
            "desk.css", "text/css; charset=utf-8",
            "desk.js", "text/javascript; charset=utf-8",
            "common.js", "text/javascript; charset=utf-8",
            "signin.js", "text/javascript; charset=utf-8",
            "wallboard.js", "text/javascript; charset=utf-8");

    private final Map<String, Asset> assets;

    private Assets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    static Assets load() {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        FILES.forEach((name, type) -> {
            try (InputStream in = Assets.class.getResourceAsStream("/dev/handoff/desktop/web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("desktop resource dev/handoff/desktop/web/" + name + " is missing from the class path");
                }
                loaded.put(name, new Asset(type, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read desktop resource " + name, e);
            }
        });
        return new Assets(loaded);
    }

    Asset page(String name) {
        return assets.get(name);
    }

    /** A public file (style sheet, script) by name; the pages are served by route, not by file name. */
    Optional<Asset> publicAsset(String name) {
        return name.endsWith(".html") ? Optional.empty() : Optional.ofNullable(assets.get(name));
    }
}
