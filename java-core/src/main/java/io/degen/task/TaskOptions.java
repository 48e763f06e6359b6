package io.degen.task;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a task's option map with defaults, rejecting unknown keys and out-of-range values with a
 * message naming the field ({@code task.channels must be a positive integer, got -1}).
 */
public final class TaskOptions {
    private final String task;
    private final Map<String, Object> given;
    private final Map<String, Object> resolved = new LinkedHashMap<>();
    private final Set<String> known = new HashSet<>();

    public TaskOptions(String task, Map<String, ?> given) {
        this.task = task;
        this.given = given == null ? Map.of() : new LinkedHashMap<>(given);
        this.given.remove("type");
        resolved.put("type", task);
    }

    public int integer(String key, int def, int min, int max) {
        known.add(key);
        Object v = given.getOrDefault(key, def);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("task." + key + " must be an integer, got " + v);
        }
        int x = n.intValue();
        if (x < min || x > max) throw new IllegalArgumentException("task." + key + " must be in [" + min + ", " + max + "], got " + x);
        resolved.put(key, x);
        return x;
    }

    public double number(String key, double def, double min, double max) {
        known.add(key);
        Object v = given.getOrDefault(key, def);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("task." + key + " must be a number, got " + v);
        double x = n.doubleValue();
        if (!(x >= min && x <= max)) throw new IllegalArgumentException("task." + key + " must be in [" + min + ", " + max + "], got " + x);
        resolved.put(key, x);
        return x;
    }

    public boolean bool(String key, boolean def) {
        known.add(key);
        Object v = given.getOrDefault(key, def);
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException("task." + key + " must be true or false, got " + v);
        resolved.put(key, b);
        return b;
    }

    /** Call last: fails on any option the task does not know. */
    public Map<String, Object> finish() {
        for (String k : given.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("task." + k + " is not an option of task " + task + " (known: " + known + ")");
            }
        }
        return java.util.Collections.unmodifiableMap(resolved);
    }
}
