package io.degen.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.degen.util.SpecPath;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code *.json} experiment spec into plain data (objects become maps, arrays lists,
 * integers Integer or Long, other numbers Double). Refused here, with the path: a duplicate key, a
 * number that is not a finite double (1e400), nesting deeper than {@link #MAX_DEPTH}, and anything
 * after the top-level object.
 */
public final class JsonSpecReader implements SpecReader {
    /** Deepest nesting a spec may have (a real spec nests 4 levels). */
    public static final int MAX_DEPTH = 64;
    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override public boolean accepts(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
    }

    @Override @SuppressWarnings("unchecked")
    public Map<String, Object> read(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = STRICT.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String why = e.getOriginalMessage();
            if (why != null && why.contains("nesting depth")) why = "nested deeper than " + MAX_DEPTH + " levels";
            throw new IllegalArgumentException(file + ": not valid JSON (" + SpecPath.cutMessage(why) + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (tree == null || !tree.isObject()) throw new IllegalArgumentException(file + ": a spec must be a JSON object, got " + SpecPath.show(tree == null ? null : tree.toString()));
        return (Map<String, Object>) plain(tree, new ArrayList<>(), file);
    }

    /** The tree as plain data; numbers checked to be finite doubles or integers. */
    private static Object plain(JsonNode n, List<Object> path, Path file) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                path.add(e.getKey());
                m.put(e.getKey(), plain(e.getValue(), path, file));
                path.remove(path.size() - 1);
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                path.add(i);
                l.add(plain(n.get(i), path, file));
                path.remove(path.size() - 1);
            }
            return l;
        }
        if (n.isIntegralNumber()) {
            if (n.canConvertToInt()) return n.intValue();
            if (n.canConvertToLong()) return n.longValue();
            throw new IllegalArgumentException(file + ": " + SpecPath.of(path) + " is too large an integer, got " + SpecPath.show(n.asText()));
        }
        if (n.isNumber()) {
            BigDecimal b = n.decimalValue();
            double d = b.doubleValue();
            if (!Double.isFinite(d) || (d == 0 && b.signum() != 0)) {
                throw new IllegalArgumentException(file + ": " + SpecPath.of(path) + " is not a finite number a double can hold, got " + SpecPath.show(n.asText()));
            }
            return d;
        }
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isNull()) return null;
        throw new IllegalArgumentException(file + ": " + SpecPath.of(path) + " holds an unsupported value " + SpecPath.show(n.toString()));
    }
}
