package dev.handoff.api.context;

import org.jspecify.annotations.Nullable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Helpers for the {@code extensions} map that keeps unknown JSON fields of a newer writer. */
final class Extensions {

    private Extensions() {
    }

    /** Null-safe, sorted (so writing is deterministic), unmodifiable copy. */
    static Map<String, Object> copy(@Nullable Map<String, Object> extensions) {
        if (extensions == null || extensions.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new TreeMap<>(extensions));
    }
}
