package io.degen.plan;

import io.degen.model.ModelConfig;
import io.degen.task.Task;
import io.degen.task.TaskRegistry;
import io.degen.train.TrainConfig;
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
 */
public final class RunConfig {
    private final Map<String, Object> taskOptions;
    private final ModelConfig model;
    private final TrainConfig train;
    private final long seed;
    private final Task task;
    private final String id;

    public RunConfig(Map<String, ?> taskOptions, ModelConfig model, TrainConfig train, long seed) {
        if (seed < 0) throw new IllegalArgumentException("seed must be >= 0, got " + seed);
        this.task = TaskRegistry.create(taskOptions);
        this.taskOptions = task.options();
        this.model = model;
        this.train = train;
        this.seed = seed;
        this.id = hash(canonical());
    }

    public Task task() { return task; }

    public Map<String, Object> taskOptions() { return taskOptions; }

    public ModelConfig model() { return model; }

    public TrainConfig train() { return train; }

    public long seed() { return seed; }

    /** 16 hex digits of SHA-256 over the canonical JSON of {@link #toMap()}. */
    public String id() { return id; }

    public RunConfig withSeed(long s) { return new RunConfig(taskOptions, model, train, s); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", new LinkedHashMap<>(taskOptions));
        m.put("model", model.toMap());
        m.put("train", train.toMap());
        m.put("seed", seed);
        return m;
    }

    /** Configuration without the seed: runs that share it form one condition. */
    public Map<String, Object> conditionMap() {
        Map<String, Object> m = toMap();
        m.remove("seed");
        return m;
    }

    public String conditionId() { return hash(sorted(conditionMap())); }

    @SuppressWarnings("unchecked")
    public static RunConfig fromMap(Map<String, ?> m) {
        Object task = m.get("task"), model = m.get("model"), train = m.get("train"), seed = m.get("seed");
        if (!(task instanceof Map)) throw new IllegalArgumentException("run config lacks a task map");
        if (!(seed instanceof Number)) throw new IllegalArgumentException("run config seed must be an integer, got " + seed);
        return new RunConfig((Map<String, ?>) task,
                ModelConfig.fromMap(model instanceof Map ? (Map<String, ?>) model : Map.of()),
                TrainConfig.fromMap(train instanceof Map ? (Map<String, ?>) train : Map.of()),
                ((Number) seed).longValue());
    }

    private String canonical() { return sorted(toMap()); }

    @SuppressWarnings("unchecked")
    static Object sortDeep(Object o) {
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

    static String hash(String s) {
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
