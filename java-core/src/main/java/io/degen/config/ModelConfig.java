package io.degen.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model capacity and parameterisation: {@code standard} (PyTorch nn.RNN(tanh) + nn.Linear) or
 * {@code mup} (the leaky mean-field RNN with feature-learning strength gamma and time constant tau).
 */
public record ModelConfig(String type, int hidden, double gamma, double tau) {
    public ModelConfig {
        if (!type.equals("standard") && !type.equals("mup")) {
            throw new IllegalArgumentException("model.type must be standard or mup, got '" + type + "'");
        }
        if (hidden < 1 || hidden > 16384) throw new IllegalArgumentException("model.hidden must be in [1, 16384], got " + hidden);
        if (!(gamma > 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("model.gamma must be > 0, got " + gamma);
        if (!(tau > 0 && tau <= 1)) throw new IllegalArgumentException("model.tau must be in (0, 1], got " + tau);
    }

    public static ModelConfig standard(int hidden) { return new ModelConfig("standard", hidden, 1.0, 0.1); }

    public static ModelConfig mup(int hidden, double gamma) { return new ModelConfig("mup", hidden, gamma, 0.1); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("hidden", hidden);
        if (type.equals("mup")) { m.put("gamma", gamma); m.put("tau", tau); }
        return m;
    }

    public static ModelConfig fromMap(Map<String, ?> m) {
        Object t = m.containsKey("type") ? m.get("type") : "standard";
        for (String k : m.keySet()) {
            if (!java.util.Set.of("type", "hidden", "gamma", "tau").contains(k)) {
                throw new IllegalArgumentException("model." + k + " is not a model option (known: type, hidden, gamma, tau)");
            }
        }
        return new ModelConfig(t.toString(), num(m, "hidden", 128).intValue(), num(m, "gamma", 1.0).doubleValue(),
                num(m, "tau", 0.1).doubleValue());
    }

    private static Number num(Map<String, ?> m, String k, Number def) {
        Object v = m.containsKey(k) ? m.get(k) : def;
        if (!(v instanceof Number n)) throw new IllegalArgumentException("model." + k + " must be a number, got " + v);
        if (k.equals("hidden") && n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("model.hidden must be an integer, got " + v);
        }
        return n;
    }
}
