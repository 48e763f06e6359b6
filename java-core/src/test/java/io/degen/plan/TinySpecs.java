package io.degen.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tiny specs that train in well under a second per network. */
public final class TinySpecs {
    private TinySpecs() { }

    public static Map<String, Object> flipflop() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tiny");
        m.put("task", new LinkedHashMap<>(Map.of("type", "flipflop", "channels", 1, "time", 20)));
        m.put("model", new LinkedHashMap<>(Map.of("type", "standard", "hidden", 8)));
        m.put("train", new LinkedHashMap<>(Map.of("batch", 8, "steps-per-epoch", 4, "max-epochs", 3)));
        m.put("seeds", 2);
        Map<String, Object> measure = new LinkedHashMap<>();
        measure.put("probe-trials", 4);
        measure.put("ood-trials", 8);
        measure.put("ntk-trials", 2);
        m.put("measure", measure);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> with(Map<String, Object> m, String section, String key, Object v) {
        ((Map<String, Object>) m.computeIfAbsent(section, k -> new LinkedHashMap<>())).put(key, v);
        return m;
    }

    public static List<Object> list(Object... xs) { return new ArrayList<>(List.of(xs)); }
}
