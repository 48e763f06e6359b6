package io.degen.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a task's option map against its declared options ({@link TaskOption}): defaults filled
 * in, unknown keys and out-of-range values rejected with a message naming the field
 * ({@code task.channels must be in [1, 64], got 100}).
 */
public final class TaskOptions {
    private final String task;
    private final Map<String, TaskOption> declared = new LinkedHashMap<>();
    private final Map<String, Object> given;
    private final Map<String, Object> resolved = new LinkedHashMap<>();

    public TaskOptions(String task, List<TaskOption> options, Map<String, ?> given) {
        this.task = task;
        for (TaskOption o : options) declared.put(o.key(), o);
        this.given = given == null ? new LinkedHashMap<>() : new LinkedHashMap<>(given);
        this.given.remove("type");
        for (String k : this.given.keySet()) {
            if (!declared.containsKey(k)) {
                throw new IllegalArgumentException("task." + k + " is not an option of task " + task + " (known: "
                        + String.join(", ", new TreeSet<>(declared.keySet())) + ")");
            }
        }
        resolved.put("type", task);
        for (TaskOption o : options) {
            Object v = this.given.getOrDefault(o.key(), o.def());
            String p = o.problem(v);
            if (p != null) throw new IllegalArgumentException("task." + o.key() + " " + p + ", got " + io.degen.util.SpecPath.show(v));
            resolved.put(o.key(), switch (o.kind()) {
                case INTEGER -> ((Number) v).intValue();
                case NUMBER -> ((Number) v).doubleValue();
                case BOOLEAN, CHOICE -> v;
            });
        }
    }

    public int integer(String key) { return (Integer) value(key); }

    public double number(String key) { return (Double) value(key); }

    public boolean bool(String key) { return (Boolean) value(key); }

    public String choice(String key) { return (String) value(key); }

    private Object value(String key) {
        if (!declared.containsKey(key)) throw new IllegalStateException("task " + task + " reads undeclared option " + key);
        return resolved.get(key);
    }

    /** The full, defaulted options (type first, then the declared order). */
    public Map<String, Object> options() { return Collections.unmodifiableMap(resolved); }
}
