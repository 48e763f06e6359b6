package io.degen.config;

import io.degen.config.ModelConfig;
import io.degen.task.Task;
import io.degen.task.TaskRegistry;
import io.degen.config.TrainConfig;
import io.degen.util.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that determines one trained network: task options, model, training settings and
 * seed, all with defaults filled in. Its id is a hash of that full configuration, so the same run
 * always has the same id and any changed setting gets a new one (old results are never reused).
 * An imported network (trained elsewhere) is not determined by its seed: its configuration also
 * holds the SHA-256 of its weights, so different networks get different ids.
 */
public final class RunConfig {
    /**
     * Configuration key only imported networks have. Trained runs leave it out of their map, so their
     * ids (and every existing store) stay as they were.
     */
    public static final String IMPORTED_WEIGHTS = "imported_weights_sha256";

    private final Map<String, Object> taskOptions;
    private final ModelConfig model;
    private final TrainConfig train;
    private final long seed;
    /** SHA-256 of an imported network's weights, null for a trained one (see {@link #IMPORTED_WEIGHTS}). */
    private final String importedWeights;
    private final String id;
    /** Built on first use: a stored configuration is read (and its id checked) without the task registry. */
    private volatile Task task;

    /** A new run: the task options are completed with the task's defaults (the task type must be registered). */
    public RunConfig(Map<String, ?> taskOptions, ModelConfig model, TrainConfig train, long seed) {
        this(TaskRegistry.create(taskOptions), model, train, seed);
    }

    private RunConfig(Task task, ModelConfig model, TrainConfig train, long seed) {
        this(task.options(), model, withStopRule(task, train), seed, null);
        this.task = task;
    }

    private RunConfig(Map<String, ?> fullTaskOptions, ModelConfig model, TrainConfig train, long seed, String importedWeights) {
        if (seed < 0) throw new IllegalArgumentException("seed must be >= 0, got " + seed);
        if (importedWeights != null && !importedWeights.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(IMPORTED_WEIGHTS + " must be 64 lower-case hex digits (a SHA-256), got '" + importedWeights + "'");
        }
        this.taskOptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fullTaskOptions));
        this.model = model;
        this.train = train;
        this.seed = seed;
        this.importedWeights = importedWeights;
        this.id = hash(canonical());
    }

    /**
     * A task with auxiliary outputs stops on its own outputs unless the spec says otherwise, and
     * says so in its configuration (so such runs get ids of their own, apart from runs of earlier
     * versions, which stopped on all outputs and whose stored configurations name no rule).
     */
    private static TrainConfig withStopRule(Task task, TrainConfig train) {
        return task.primaryOutputs() < task.outputSize() && train.stopOn() == null ? train.withStopOn(TrainConfig.TASK_OUTPUTS) : train;
    }

    /** The task, built from the options through {@link TaskRegistry} on first use. */
    public Task task() {
        Task t = task;
        if (t == null) {
            Object type = taskOptions.get("type");
            if (type != null && !TaskRegistry.has(type.toString())) {
                throw new IllegalArgumentException("task type '" + type + "' of run " + id + " is not registered in this process"
                        + " (register it before simulating or measuring its networks; known: " + TaskRegistry.types() + ")");
            }
            task = t = TaskRegistry.create(taskOptions);
        }
        return t;
    }

    public Map<String, Object> taskOptions() { return taskOptions; }

    public ModelConfig model() { return model; }

    public TrainConfig train() { return train; }

    public long seed() { return seed; }

    /** The SHA-256 of an imported network's weights, or null for a network trained here. */
    public String importedWeights() { return importedWeights; }

    /** This configuration as the one of an imported network with these weights (their SHA-256, hex). */
    public RunConfig withImportedWeights(String sha256) {
        RunConfig r = new RunConfig(taskOptions, model, train, seed, sha256);
        r.task = task;
        return r;
    }

    /** 16 hex digits of SHA-256 over the canonical JSON of {@link #toMap()}. */
    public String id() { return id; }

    public RunConfig withSeed(long s) {
        RunConfig r = new RunConfig(taskOptions, model, train, s, importedWeights);
        r.task = task;
        return r;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", new LinkedHashMap<>(taskOptions));
        m.put("model", model.toMap());
        m.put("train", train.toMap());
        m.put("seed", seed);
        if (importedWeights != null) m.put(IMPORTED_WEIGHTS, importedWeights);
        return m;
    }

    /**
     * Configuration without what tells one network of a condition from another (the seed, and an
     * imported network's weight hash): imported networks of one task and width form one condition.
     */
    public Map<String, Object> conditionMap() {
        Map<String, Object> m = toMap();
        m.remove("seed");
        m.remove(IMPORTED_WEIGHTS);
        return m;
    }

    public String conditionId() { return hash(sorted(conditionMap())); }

    /**
     * A stored configuration ({@link #toMap()} as written in a run record): the task options are
     * taken as stored (they are complete), so the id is the hash of exactly what was stored and no
     * task registry is needed to read it.
     */
    @SuppressWarnings("unchecked")
    public static RunConfig fromMap(Map<String, ?> m) {
        Object task = m.get("task"), model = m.get("model"), train = m.get("train"), seed = m.get("seed"), imported = m.get(IMPORTED_WEIGHTS);
        if (!(task instanceof Map<?, ?> tm) || !(tm.get("type") instanceof String)) throw new IllegalArgumentException("run config lacks a task map with a type");
        if (!(seed instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("run config seed must be an integer, got " + seed);
        }
        if (imported != null && !(imported instanceof String)) {
            throw new IllegalArgumentException("run config " + IMPORTED_WEIGHTS + " must be a string, got " + imported);
        }
        return new RunConfig((Map<String, ?>) task,
                ModelConfig.fromMap(model instanceof Map ? (Map<String, ?>) model : Map.of()),
                TrainConfig.fromMap(train instanceof Map ? (Map<String, ?>) train : Map.of()),
                n.longValue(), (String) imported);
    }

    private String canonical() { return sorted(toMap()); }

    @SuppressWarnings("unchecked")
    public static Object sortDeep(Object o) {
        if (o instanceof Map<?, ?> mm) {
            TreeMap<String, Object> t = new TreeMap<>();
            for (Map.Entry<?, ?> e : mm.entrySet()) t.put(String.valueOf(e.getKey()), sortDeep(e.getValue()));
            return t;
        }
        // Integral doubles hash like integers, so 3 and 3.0 from EDN or JSON give the same id.
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return d.longValue();
        if (o instanceof Integer i) return i.longValue();
        return o;
    }

    private static String sorted(Map<String, Object> m) { return Json.line(sortDeep(m)); }

    public static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i++) b.append(String.format("%02x", d[i]));
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public boolean equals(Object o) { return o instanceof RunConfig r && r.id.equals(id); }

    @Override public int hashCode() { return id.hashCode(); }

    @Override public String toString() { return "run " + id + " " + Json.line(toMap()); }
}
