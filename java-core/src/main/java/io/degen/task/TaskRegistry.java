package io.degen.task;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Task types by name. Built-in tasks are registered here; users (Java or the Clojure DSL) add
 * their own with {@link #register}, and specs then name them like any built-in task.
 */
public final class TaskRegistry {
    private static final Map<String, Function<Map<String, ?>, Task>> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("flipflop", FlipFlopTask::new);
        register("sine", SineWaveTask::new);
        register("delayed-discrimination", DelayedDiscriminationTask::new);
        register("path-integration", PathIntegrationTask::new);
        register("lorenz96", Lorenz96Task::new);
    }

    private TaskRegistry() { }

    public static void register(String type, Function<Map<String, ?>, Task> factory) {
        if (type == null || !type.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("task type must be lower-case letters, digits and '-', got '" + type + "'");
        }
        FACTORIES.put(type, factory);
    }

    public static boolean has(String type) { return FACTORIES.containsKey(type); }

    public static java.util.Set<String> types() { return new TreeMap<>(FACTORIES).keySet(); }

    /** Builds a task from its option map; "type" selects the factory. */
    public static Task create(Map<String, ?> options) {
        Object type = options.get("type");
        if (type == null) throw new IllegalArgumentException("task.type is missing (known: " + types() + ")");
        Function<Map<String, ?>, Task> f = FACTORIES.get(type.toString());
        if (f == null) throw new IllegalArgumentException("task.type must be one of " + types() + ", got '" + type + "'");
        return f.apply(options);
    }
}
