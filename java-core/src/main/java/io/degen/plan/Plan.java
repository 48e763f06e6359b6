package io.degen.plan;

import io.degen.config.RunConfig;
import io.degen.config.MeasureOptions;
import io.degen.train.CostModel;

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

    /** Estimated cost of one run: its floating-point operations at the expected epochs ({@link CostModel#flops}). */
    public static double cost(RunConfig r) { return CostModel.flops(r); }

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

    /** What {@code degen plan} shows: conditions, runs, seeds, the estimated cost and, when asked for, the shards. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Summary(String name, String profile, String specHash, List<String> axes, List<ConditionSummary> conditions, int runs,
                          List<Long> seeds, double estimatedCost, List<ShardSummary> shards) { }

    public record ConditionSummary(int index, String id, Map<String, Object> values, List<String> runs) { }

    public record ShardSummary(int index, double cost, List<String> runs) { }

    /** The summary, with the split into {@code shards} shards (0: none). */
    public Summary summary(int shards) {
        List<String> axes = new ArrayList<>();
        for (ExperimentSpec.Axis a : spec.axes()) axes.add(a.name());
        List<ConditionSummary> cs = new ArrayList<>();
        for (Condition c : conditions) {
            List<String> ids = new ArrayList<>();
            for (RunConfig r : c.runs()) ids.add(r.id());
            cs.add(new ConditionSummary(c.index(), c.id(), c.values(), ids));
        }
        List<ShardSummary> sh = null;
        if (shards > 0) {
            sh = new ArrayList<>();
            List<List<RunConfig>> ss = shards(shards);
            for (int i = 0; i < ss.size(); i++) {
                double cost = 0;
                List<String> ids = new ArrayList<>();
                for (RunConfig r : ss.get(i)) { ids.add(r.id()); cost += cost(r); }
                sh.add(new ShardSummary(i, cost, ids));
            }
        }
        return new Summary(spec.name(), spec.profile(), spec.hash(), axes, cs, runs.size(), spec.seeds(), estimatedCost(), sh);
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
