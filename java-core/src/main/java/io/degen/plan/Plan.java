package io.degen.plan;

import io.degen.config.RunConfig;
import io.degen.config.MeasureOptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled experiment: conditions (one per point of the sweep grid, in a fixed order) and their
 * runs (condition x seed). Run ids are {@link RunConfig#id()}, so compiling the same spec twice
 * gives the same ids and any changed setting gives new ones.
 */
public final class Plan {
    /** One point of the sweep grid: its axis values, its id ({@link RunConfig#conditionId()}) and its runs. */
    public record Condition(int index, String id, Map<String, Object> values, List<RunConfig> runs) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index);
            m.put("id", id);
            m.put("values", values);
            m.put("config", runs.get(0).conditionMap());
            List<String> ids = new ArrayList<>();
            for (RunConfig r : runs) ids.add(r.id());
            m.put("runs", ids);
            return m;
        }
    }

    /** Epochs assumed for a run in cost estimates: the paper's runs mostly stop well before max-epochs. */
    public static final int EXPECTED_EPOCHS = 100;

    private final ExperimentSpec spec;
    private final List<Condition> conditions;
    private final List<RunConfig> runs = new ArrayList<>();
    private final Map<String, Condition> byRun = new LinkedHashMap<>();

    Plan(ExperimentSpec spec, List<Condition> conditions) {
        this.spec = spec;
        this.conditions = List.copyOf(conditions);
        for (Condition c : conditions) {
            for (RunConfig r : c.runs()) { runs.add(r); byRun.put(r.id(), c); }
        }
    }

    public ExperimentSpec spec() { return spec; }

    public String name() { return spec.name(); }

    public List<Condition> conditions() { return conditions; }

    public List<RunConfig> runs() { return List.copyOf(runs); }

    public Condition conditionOf(String runId) { return byRun.get(runId); }

    public MeasureOptions degeneracyOptions() { return spec.degeneracyOptions(); }

    /**
     * Estimated cost of one run in multiply-adds: about 6 (hidden^2 + hidden (in + out)) per step and
     * trial (forward, backward, update) x batch x trial length x steps per epoch x min(max-epochs, 100).
     */
    public static double cost(RunConfig r) {
        double h = r.model().hidden();
        double perStep = h * h + h * (r.task().inputSize() + r.task().outputSize());
        return 6 * perStep * r.train().batch() * (double) r.task().trialLength() * r.train().stepsPerEpoch()
                * Math.min(r.train().maxEpochs(), EXPECTED_EPOCHS);
    }

    public double estimatedCost() {
        double s = 0;
        for (RunConfig r : runs) s += cost(r);
        return s;
    }

    /**
     * Assigns every run to one of k shards, balanced by estimated cost: longest first, each to the
     * currently cheapest shard (ties: lower shard index), runs of equal cost ordered by id. The
     * result depends only on the plan, so every machine computes the same shards.
     */
    public List<List<RunConfig>> shards(int k) {
        if (k < 1) throw new IllegalArgumentException("shard count must be >= 1, got " + k);
        List<RunConfig> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Plan::cost).reversed().thenComparing(RunConfig::id));
        List<List<RunConfig>> out = new ArrayList<>();
        double[] load = new double[k];
        for (int i = 0; i < k; i++) out.add(new ArrayList<>());
        for (RunConfig r : sorted) {
            int best = 0;
            for (int i = 1; i < k; i++) if (load[i] < load[best]) best = i;
            out.get(best).add(r);
            load[best] += cost(r);
        }
        // Within a shard keep plan order, so a shard trains condition by condition.
        List<List<RunConfig>> ordered = new ArrayList<>();
        for (List<RunConfig> s : out) {
            List<RunConfig> o = new ArrayList<>();
            for (RunConfig r : runs) if (s.contains(r)) o.add(r);
            ordered.add(o);
        }
        return ordered;
    }

    /** Shard {@code index} (0-based) of {@code count}. */
    public List<RunConfig> shard(int index, int count) {
        if (index < 0 || index >= count) throw new IllegalArgumentException("shard index must be in [0, " + count + "), got " + index);
        return shards(count).get(index);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", spec.name());
        m.put("profile", spec.profile());
        m.put("spec_hash", spec.hash());
        List<Map<String, Object>> axes = new ArrayList<>();
        for (ExperimentSpec.Axis a : spec.axes()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", a.name());
            x.put("field", a.section() + "." + a.key());
            x.put("values", a.values());
            axes.add(x);
        }
        m.put("axes", axes);
        m.put("seeds", spec.seeds());
        m.put("levels", spec.levels());
        m.put("measure", spec.degeneracyOptions().toMap());
        m.put("report", spec.report());
        m.put("estimated_cost", estimatedCost());
        List<Map<String, Object>> cs = new ArrayList<>();
        for (Condition c : conditions) cs.add(c.toMap());
        m.put("conditions", cs);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (RunConfig r : runs) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", r.id());
            x.put("condition", byRun.get(r.id()).id());
            x.put("seed", r.seed());
            x.put("cost", cost(r));
            rs.add(x);
        }
        m.put("runs", rs);
        m.put("spec", spec.toMap());
        return m;
    }
}
