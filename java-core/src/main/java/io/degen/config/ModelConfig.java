package io.degen.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model capacity and parameterisation: {@code standard} (PyTorch nn.RNN(tanh) + nn.Linear) or
 * {@code mup} (the leaky mean-field RNN with feature-learning strength gamma and time constant tau).
 * Keys, ranges and defaults: {@link Schema#MODEL}.
 */
public record ModelConfig(String type, int hidden, double gamma, double tau) {
    public ModelConfig {
        Schema.require("model", "type", type);
        Schema.require("model", "hidden", hidden);
        Schema.require("model", "gamma", gamma);
        Schema.require("model", "tau", tau);
    }

    public static ModelConfig standard(int hidden) {
        return new ModelConfig("standard", hidden, ((Number) Schema.def("model", "gamma")).doubleValue(), ((Number) Schema.def("model", "tau")).doubleValue());
    }

    public static ModelConfig mup(int hidden, double gamma) {
        return new ModelConfig("mup", hidden, gamma, ((Number) Schema.def("model", "tau")).doubleValue());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("hidden", hidden);
        if (type.equals("mup")) { m.put("gamma", gamma); m.put("tau", tau); }
        return m;
    }

    /** From a map of the schema's model keys (defaults filled in). */
    public static ModelConfig fromMap(Map<String, ?> m) {
        for (String k : m.keySet()) {
            if (Schema.field("model", k) == null) {
                throw new IllegalArgumentException("model." + k + " is not a model option (known: " + String.join(", ", Schema.keys("model")) + ")");
            }
        }
        Object type = value(m, "type"), hidden = value(m, "hidden"), gamma = value(m, "gamma"), tau = value(m, "tau");
        Schema.require("model", "type", type);
        Schema.require("model", "hidden", hidden);
        Schema.require("model", "gamma", gamma);
        Schema.require("model", "tau", tau);
        return new ModelConfig((String) type, ((Number) hidden).intValue(), ((Number) gamma).doubleValue(), ((Number) tau).doubleValue());
    }

    private static Object value(Map<String, ?> m, String k) { return m.containsKey(k) ? m.get(k) : Schema.def("model", k); }
}
