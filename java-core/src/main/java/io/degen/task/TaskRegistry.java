package io.degen.task;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Task types by name. Built-in tasks are registered here with their declared options; users (Java
 * or the Clojure DSL) add their own with {@link #register}, and specs then name them like any
 * built-in task. A task registered with declared options validates like a built-in one; one
 * registered without leaves its options to its factory.
 */
public final class TaskRegistry {
    /** A registered type: its declared options (null: undeclared) and its factory. */
    private record Entry(List<TaskOption> options, Function<Map<String, ?>, Task> factory, boolean builtIn) { }

    private static final Map<String, Entry> TYPES = new ConcurrentHashMap<>();

    static {
        builtIn("flipflop", FlipFlopTask.OPTIONS, FlipFlopTask::new);
        builtIn("sine", SineWaveTask.OPTIONS, SineWaveTask::new);
        builtIn("delayed-discrimination", DelayedDiscriminationTask.OPTIONS, DelayedDiscriminationTask::new);
        builtIn("path-integration", PathIntegrationTask.OPTIONS, PathIntegrationTask::new);
        builtIn("lorenz96", Lorenz96Task.OPTIONS, Lorenz96Task::new);
    }

    private TaskRegistry() { }

    private static void builtIn(String type, List<TaskOption> options, Function<Map<String, ?>, Task> factory) {
        TYPES.put(type, new Entry(List.copyOf(options), factory, true));
    }

    /** A task type whose options the factory checks itself (specs pass any number, boolean or string through). */
    public static void register(String type, Function<Map<String, ?>, Task> factory) { put(type, null, factory); }

    /** A task type with declared options: specs validate them like a built-in task's, and get their defaults. */
    public static void register(String type, List<TaskOption> options, Function<Map<String, ?>, Task> factory) {
        if (options == null) throw new IllegalArgumentException("options must not be null (use register(type, factory) for undeclared options)");
        put(type, List.copyOf(options), factory);
    }

    private static void put(String type, List<TaskOption> options, Function<Map<String, ?>, Task> factory) {
        if (type == null || !type.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("task type must be lower-case letters, digits and '-', got '" + type + "'");
        }
        Entry old = TYPES.get(type);
        if (old != null && old.builtIn()) throw new IllegalArgumentException("task type " + type + " is built in and cannot be replaced");
        TYPES.put(type, new Entry(options, factory, false));
    }

    public static boolean has(String type) { return TYPES.containsKey(type); }

    public static boolean builtIn(String type) {
        Entry e = TYPES.get(type);
        return e != null && e.builtIn();
    }

    public static Set<String> types() { return new TreeMap<>(TYPES).keySet(); }

    /** The declared options of a type, or null when it declares none (or is not registered). */
    public static List<TaskOption> options(String type) {
        Entry e = TYPES.get(type);
        return e == null ? null : e.options();
    }

    /** Builds a task from its option map; "type" selects the factory. */
    public static Task create(Map<String, ?> options) {
        Object type = options.get("type");
        if (type == null) throw new IllegalArgumentException("task.type is missing (known: " + types() + ")");
        Entry e = TYPES.get(type.toString());
        if (e == null) throw new IllegalArgumentException("task.type must be one of " + types() + ", got '" + type + "'");
        return e.factory().apply(options);
    }
}
