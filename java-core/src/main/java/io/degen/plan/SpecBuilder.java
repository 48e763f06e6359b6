package io.degen.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an experiment spec from Java with the same keys as the EDN form (docs/dsl.md); passing
 * several values to a setter makes that key a sweep axis. {@link #build()} validates through
 * {@link ExperimentSpec#fromMap}, so a bad value fails with the same path-and-value message.
 *
 * <pre>
 * Plan plan = new SpecBuilder("nuclear").task("delayed-discrimination").model("hidden", 64)
 *         .control("nuclear", 0, 1e-3).seeds(10).build().compile();
 * </pre>
 */
public final class SpecBuilder {
    private final Map<String, Object> spec = new LinkedHashMap<>();

    public SpecBuilder(String name) { spec.put("name", name); }

    /** Starts from an existing spec map (e.g. one read with {@link SpecReaders#read}); the map is copied. */
    public static SpecBuilder from(Map<String, ?> base) {
        SpecBuilder b = new SpecBuilder(String.valueOf(base.get("name")));
        b.spec.putAll(deepCopy(base));
        return b;
    }

    public SpecBuilder task(String type) { section("task").put("type", type); return this; }

    public SpecBuilder task(String key, Object... values) { section("task").put(key, value(values)); return this; }

    public SpecBuilder model(String key, Object... values) { section("model").put(key, value(values)); return this; }

    public SpecBuilder train(String key, Object... values) { section("train").put(key, value(values)); return this; }

    public SpecBuilder control(String knob, Object... values) { section("control").put(knob, value(values)); return this; }

    public SpecBuilder measure(String key, Object value) { section("measure").put(key, value); return this; }

    public SpecBuilder dsa(int nDelays, int rank) {
        section("measure").put("dsa", new LinkedHashMap<>(Map.of("n-delays", nDelays, "rank", rank)));
        return this;
    }

    /** Seeds 0..n-1. */
    public SpecBuilder seeds(int n) { spec.put("seeds", n); return this; }

    public SpecBuilder seeds(List<Integer> seeds) { spec.put("seeds", new ArrayList<>(seeds)); return this; }

    public SpecBuilder profile(String name, Map<String, ?> overrides) {
        section("profiles").put(name, deepCopy(overrides));
        return this;
    }

    /** The spec as plain data (a copy). */
    public Map<String, Object> toMap() { return deepCopy(spec); }

    /** Validated spec. */
    public ExperimentSpec build() { return ExperimentSpec.fromMap(toMap()); }

    public ExperimentSpec build(String profile) { return ExperimentSpec.fromMap(toMap(), profile); }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String key) {
        return (Map<String, Object>) spec.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    private static Object value(Object[] values) {
        if (values.length == 0) throw new IllegalArgumentException("a setting needs at least one value");
        return values.length == 1 ? values[0] : new ArrayList<>(Arrays.asList(values));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> mm) v = deepCopy((Map<String, ?>) mm);
            else if (v instanceof List<?> l) v = new ArrayList<>(l);
            out.put(e.getKey(), v);
        }
        return out;
    }
}
