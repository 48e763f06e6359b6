package io.degen.config;

import io.degen.backend.DType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Optimisation settings. Defaults follow the paper's Table B.4: Adam lr 1e-3, batch 64, 128 steps
 * per epoch, ReduceLROnPlateau (factor 0.5, patience 40), at most 1000 epochs, and 3 epochs of
 * patience after the task's threshold is reached. {@code threshold} NaN means the task's own value.
 * {@code nuclear} and {@code l1} weight the recurrent-matrix regularisers.
 */
public record TrainConfig(double lr, int batch, int stepsPerEpoch, int maxEpochs, double threshold, int patience,
                          double plateauFactor, int plateauPatience, double nuclear, double l1, DType dtype, String stopOn) {
    /** The stopping rule watches the loss of the task's own outputs only (an auxiliary loss's outputs excluded). */
    public static final String TASK_OUTPUTS = "task-outputs";
    /** The stopping rule watches the loss of every output (the rule before there was a choice). */
    public static final String ALL_OUTPUTS = "all-outputs";

    /** Without a stopping-rule choice (see {@link #stopOn()}). */
    public TrainConfig(double lr, int batch, int stepsPerEpoch, int maxEpochs, double threshold, int patience,
                       double plateauFactor, int plateauPatience, double nuclear, double l1, DType dtype) {
        this(lr, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype, null);
    }

    /** The keys of {@link Schema#TRAIN}. */
    public static final Set<String> KEYS = Schema.keys("train");

    public TrainConfig {
        Schema.require("train", "lr", lr);
        Schema.require("train", "batch", batch);
        Schema.require("train", "steps-per-epoch", stepsPerEpoch);
        Schema.require("train", "max-epochs", maxEpochs);
        if (!Double.isNaN(threshold)) Schema.require("train", "threshold", threshold);
        Schema.require("train", "patience", patience);
        Schema.require("train", "plateau-factor", plateauFactor);
        Schema.require("train", "plateau-patience", plateauPatience);
        Schema.require("train", "nuclear", nuclear);
        Schema.require("train", "l1", l1);
        if (dtype == null) throw new IllegalArgumentException("train.dtype must be one of float32, float64, got nil");
        if (stopOn != null) Schema.require("train", "stop-on", stopOn);
    }

    /** The schema's defaults (the paper's Table B.4); threshold NaN: the task's own. */
    public static TrainConfig defaults() { return fromMap(Map.of()); }

    public TrainConfig withLr(double v) { return new TrainConfig(v, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype, stopOn); }

    public TrainConfig withMaxEpochs(int v) { return new TrainConfig(lr, batch, stepsPerEpoch, v, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype, stopOn); }

    public TrainConfig withBatch(int v) { return new TrainConfig(lr, v, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype, stopOn); }

    public TrainConfig withStepsPerEpoch(int v) { return new TrainConfig(lr, batch, v, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype, stopOn); }

    public TrainConfig withRegularisers(double nuc, double l) { return new TrainConfig(lr, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuc, l, dtype, stopOn); }

    public TrainConfig withDtype(DType d) { return new TrainConfig(lr, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, d, stopOn); }

    public TrainConfig withStopOn(String rule) { return new TrainConfig(lr, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype, rule); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", lr); m.put("batch", batch); m.put("steps-per-epoch", stepsPerEpoch); m.put("max-epochs", maxEpochs);
        if (!Double.isNaN(threshold)) m.put("threshold", threshold);
        m.put("patience", patience); m.put("plateau-factor", plateauFactor); m.put("plateau-patience", plateauPatience);
        m.put("nuclear", nuclear); m.put("l1", l1); m.put("dtype", dtype == DType.F32 ? "float32" : "float64");
        // Only where chosen (runs of tasks with auxiliary outputs): runs without it keep their ids.
        if (stopOn != null) m.put("stop-on", stopOn);
        return m;
    }

    /** From a map of the schema's train keys (defaults filled in). */
    public static TrainConfig fromMap(Map<String, ?> m) {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) throw new IllegalArgumentException("train." + k + " is not a training option (known: " + String.join(", ", KEYS) + ")");
        }
        for (var e : m.entrySet()) Schema.require("train", e.getKey(), e.getValue());
        return new TrainConfig(num(m, "lr"), integer(m, "batch"), integer(m, "steps-per-epoch"), integer(m, "max-epochs"),
                m.containsKey("threshold") ? num(m, "threshold") : Double.NaN, integer(m, "patience"), num(m, "plateau-factor"),
                integer(m, "plateau-patience"), num(m, "nuclear"), num(m, "l1"), DType.parse(String.valueOf(value(m, "dtype"))),
                (String) m.get("stop-on"));
    }

    private static Object value(Map<String, ?> m, String k) { return m.containsKey(k) ? m.get(k) : Schema.def("train", k); }

    private static double num(Map<String, ?> m, String k) { return ((Number) value(m, k)).doubleValue(); }

    private static int integer(Map<String, ?> m, String k) { return ((Number) value(m, k)).intValue(); }
}
