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
                          double plateauFactor, int plateauPatience, double nuclear, double l1, DType dtype) {
    public static final Set<String> KEYS = Set.of("lr", "batch", "steps-per-epoch", "max-epochs", "threshold", "patience",
            "plateau-factor", "plateau-patience", "nuclear", "l1", "dtype");

    public TrainConfig {
        if (!(lr > 0 && lr < 10)) throw new IllegalArgumentException("train.lr must be in (0, 10), got " + lr);
        if (batch < 1 || batch > 1_000_000) throw new IllegalArgumentException("train.batch must be a positive integer, got " + batch);
        if (stepsPerEpoch < 1) throw new IllegalArgumentException("train.steps-per-epoch must be a positive integer, got " + stepsPerEpoch);
        if (maxEpochs < 1) throw new IllegalArgumentException("train.max-epochs must be a positive integer, got " + maxEpochs);
        if (!Double.isNaN(threshold) && !(threshold > 0)) throw new IllegalArgumentException("train.threshold must be > 0, got " + threshold);
        if (patience < 0) throw new IllegalArgumentException("train.patience must be >= 0, got " + patience);
        if (!(plateauFactor > 0 && plateauFactor <= 1)) throw new IllegalArgumentException("train.plateau-factor must be in (0, 1], got " + plateauFactor);
        if (plateauPatience < 0) throw new IllegalArgumentException("train.plateau-patience must be >= 0, got " + plateauPatience);
        if (!(nuclear >= 0) || !Double.isFinite(nuclear)) throw new IllegalArgumentException("train.nuclear must be >= 0, got " + nuclear);
        if (!(l1 >= 0) || !Double.isFinite(l1)) throw new IllegalArgumentException("train.l1 must be >= 0, got " + l1);
    }

    public static TrainConfig defaults() {
        return new TrainConfig(1e-3, 64, 128, 1000, Double.NaN, 3, 0.5, 40, 0, 0, DType.F32);
    }

    public TrainConfig withLr(double v) { return new TrainConfig(v, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype); }

    public TrainConfig withMaxEpochs(int v) { return new TrainConfig(lr, batch, stepsPerEpoch, v, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype); }

    public TrainConfig withBatch(int v) { return new TrainConfig(lr, v, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype); }

    public TrainConfig withStepsPerEpoch(int v) { return new TrainConfig(lr, batch, v, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, dtype); }

    public TrainConfig withRegularisers(double nuc, double l) { return new TrainConfig(lr, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuc, l, dtype); }

    public TrainConfig withDtype(DType d) { return new TrainConfig(lr, batch, stepsPerEpoch, maxEpochs, threshold, patience, plateauFactor, plateauPatience, nuclear, l1, d); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", lr); m.put("batch", batch); m.put("steps-per-epoch", stepsPerEpoch); m.put("max-epochs", maxEpochs);
        if (!Double.isNaN(threshold)) m.put("threshold", threshold);
        m.put("patience", patience); m.put("plateau-factor", plateauFactor); m.put("plateau-patience", plateauPatience);
        m.put("nuclear", nuclear); m.put("l1", l1); m.put("dtype", dtype == DType.F32 ? "float32" : "float64");
        return m;
    }

    public static TrainConfig fromMap(Map<String, ?> m) {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) throw new IllegalArgumentException("train." + k + " is not a training option (known: " + new java.util.TreeSet<>(KEYS) + ")");
        }
        TrainConfig d = defaults();
        return new TrainConfig(num(m, "lr", d.lr), integer(m, "batch", d.batch), integer(m, "steps-per-epoch", d.stepsPerEpoch),
                integer(m, "max-epochs", d.maxEpochs), num(m, "threshold", Double.NaN), integer(m, "patience", d.patience),
                num(m, "plateau-factor", d.plateauFactor), integer(m, "plateau-patience", d.plateauPatience),
                num(m, "nuclear", 0), num(m, "l1", 0),
                m.containsKey("dtype") ? DType.parse(String.valueOf(m.get("dtype"))) : d.dtype);
    }

    private static double num(Map<String, ?> m, String k, double def) {
        Object v = m.get(k);
        if (v == null) return def;
        if (!(v instanceof Number n)) throw new IllegalArgumentException("train." + k + " must be a number, got " + v);
        return n.doubleValue();
    }

    private static int integer(Map<String, ?> m, String k, int def) {
        Object v = m.get(k);
        if (v == null) return def;
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("train." + k + " must be an integer, got " + v);
        }
        return n.intValue();
    }
}
