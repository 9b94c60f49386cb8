package dev.handoff.core.trigger;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.handoff.api.Violation;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a policy document's tokens once before it is turned into a tree, and reports what the tree would hide:
 * YAML aliases (Jackson's tree replaces {@code *p} by the anchor's name, so {@code [*p]} would silently become
 * the phrase "p") and keys repeated in one mapping (the tree would keep only the last).
 */
final class YamlGuard {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlGuard() {
    }

    /** Adds a violation for every alias and every duplicate key; a syntax error is left to the tree reader. */
    static void check(String text, List<Violation> out) {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
            Deque<Frame> stack = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Frame top = stack.peek();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    String path = top == null ? "$" : top.childPath();
                    if (top != null) {
                        top.advance();
                    }
                    stack.push(new Frame(path, t == JsonToken.START_OBJECT));
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                if (t == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    if (top != null) {
                        if (!top.keys.add(key)) {
                            out.add(new Violation(top.path + "." + key, key,
                                    "a key used once in its mapping (line " + p.currentLocation().getLineNr() + " repeats it)"));
                        }
                        top.field = key;
                    }
                    continue;
                }
                if (p.isCurrentAlias()) {
                    String path = top == null ? "$" : top.childPath();
                    out.add(new Violation(path, "*" + p.getText(), "a plain value: YAML anchors and aliases are not supported"));
                }
                if (top != null) {
                    top.advance();
                }
            }
        } catch (IOException | RuntimeException e) {
            // malformed YAML: the tree reader reports it with its line and column
        }
    }

    private static final class Frame {
        final String path;
        final boolean object;
        final Set<String> keys = new HashSet<>();
        String field;
        int index;

        Frame(String path, boolean object) {
            this.path = path;
            this.object = object;
        }

        String childPath() {
            return object ? path + "." + field : path + "[" + index + "]";
        }

        void advance() {
            if (!object) {
                index++;
            }
        }
    }

    static List<Violation> check(String text) {
        List<Violation> out = new ArrayList<>();
        check(text, out);
        return out;
    }
}
