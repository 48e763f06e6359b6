package io.degen.run;

import io.degen.backend.Backend;
import io.degen.io.AtomicFiles;
import io.degen.metrics.Degeneracy;
import io.degen.config.DegeneracyOptions;
import io.degen.plan.Plan;
import io.degen.config.RunConfig;
import io.degen.store.Catalog;
import io.degen.store.RunArtifacts;
import io.degen.store.StoreLock;
import io.degen.train.TrainResult;
import io.degen.util.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a compiled experiment into a store directory: takes the store lock, writes {@code plan.json},
 * trains every run that is not already stored (verified) under {@code runs/}, records each in the
 * catalog as it finishes, then analyses each condition ({@link Degeneracy#analyse}) into
 * {@code metrics/<condition_id>.json} and the catalog's {@code condition_metrics}. Interrupted and
 * started again it trains only what is missing; a corrupt stored network is reported, deleted and
 * trained again. Layout and guarantees: docs/store.md.
 */
public final class ExperimentRunner {
    /** Metrics written per condition, in this order. */
    /** DIR/joint-dsa.json: the DSA matrix over every converged network of all conditions (for the MDS map). */
    public static final String JOINT_DSA = "joint-dsa.json";

    public static final List<String> METRICS = List.of("behaviour_sd_ood", "behaviour_mean_ood", "dynamics_dsa", "dynamics_null",
            "weights_pif", "weights_pif_per_param", "weight_change", "kernel_alignment", "share_converged");

    /** One condition-level number with its standard error and population size (null where unknown). */
    public record MetricValue(String metric, Double value, Double se, Integer n) { }

    /** What one invocation did. */
    public record Result(Path out, int total, int selected, int trained, int skipped, List<String> corrupt,
                         boolean metricsComputed, int conditionsAnalysed, List<TrainingPool.Outcome> outcomes) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("out", out.toString());
            m.put("runs", total);
            m.put("selected", selected);
            m.put("trained", trained);
            m.put("skipped", skipped);
            m.put("corrupt", corrupt);
            m.put("metrics", metricsComputed);
            m.put("conditions_analysed", conditionsAnalysed);
            return m;
        }
    }

    private ExperimentRunner() { }

    public static Result run(Plan plan, Path outDir, int workers, Backend be, PrintStream err)
            throws IOException, InterruptedException, SQLException {
        return run(plan, outDir, workers, be, err, 0, 1);
    }

    /**
     * Trains shard {@code shardIndex} of {@code shardCount} ({@link Plan#shards}); metrics are computed
     * only once every run of the plan is stored in {@code outDir/runs}.
     */
    public static Result run(Plan plan, Path outDir, int workers, Backend be, PrintStream err, int shardIndex, int shardCount)
            throws IOException, InterruptedException, SQLException {
        return run(plan, outDir, workers, 1, be, err, shardIndex, shardCount);
    }

    /**
     * As above, each worker training up to {@code ensemble} seeds of a condition together in lockstep
     * ({@link TrainingPool}); the results per seed do not depend on it (to float rounding).
     */
    public static Result run(Plan plan, Path outDir, int workers, int ensemble, Backend be, PrintStream err, int shardIndex, int shardCount)
            throws IOException, InterruptedException, SQLException {
        // The metrics engine is needed only after training: check it loads before hours are spent.
        String metricsEngine = plan.degeneracyOptions().metricsBackend(), why = io.degen.backend.Backends.unavailableReason(metricsEngine);
        if (why != null) throw new IllegalArgumentException("measure.metrics-backend " + metricsEngine + " is not usable here: " + why);
        Files.createDirectories(outDir);
        if (shardCount > 1) return runShard(plan, outDir, workers, ensemble, be, err, shardIndex, shardCount);
        try (StoreLock lock = StoreLock.acquire(outDir); Catalog catalog = Catalog.open(outDir)) {
            AtomicFiles.writeString(outDir.resolve("plan.json"), Json.pretty(plan.toMap()));
            Path runsDir = outDir.resolve("runs");
            Files.createDirectories(runsDir);
            int stale = RunArtifacts.removeStaleTemporaries(runsDir);
            if (stale > 0) err.printf("removed %d half-written network(s) left by an interrupted run%n", stale);
            String spec = plan.name(), hash = plan.spec().hash();
            catalog.transaction(() -> {
                for (Plan.Condition c : plan.conditions()) catalog.upsertCondition(c.id(), spec, Json.line(c.values()));
                return null;
            });
            List<RunConfig> selected = shardCount > 1 ? plan.shard(shardIndex, shardCount) : plan.runs();
            err.printf("experiment %s: %d condition(s), %d run(s)%s, backend %s, %d worker(s), store %s%n", spec,
                    plan.conditions().size(), plan.runs().size(),
                    shardCount > 1 ? String.format(" (shard %d/%d: %d runs)", shardIndex + 1, shardCount, selected.size()) : "",
                    be.name(), workers, outDir);
            List<String> corrupt = new ArrayList<>();
            // Networks already stored are (re)recorded: the catalog may have missed them if a crash hit between publish and insert.
            for (RunConfig r : selected) {
                recordStored(plan, r, runsDir, catalog, corrupt, err);
            }
            TrainingPool pool = new TrainingPool(be, workers, ensemble, err);
            List<TrainingPool.Outcome> outcomes = new ArrayList<>(pool.train(selected, runsDir, (r, res) -> record(catalog, plan, r, res, err)));
            int trained = 0, skipped = 0;
            for (TrainingPool.Outcome o : outcomes) { if (o.skipped()) skipped++; else trained++; }

            boolean all = true;
            for (RunConfig r : plan.runs()) if (!RunArtifacts.isComplete(runsDir, r.id())) { all = false; break; }
            int analysed = 0;
            if (!all) {
                err.printf("metrics skipped: not every run of the plan is stored yet in %s%s%n", runsDir,
                        Files.isDirectory(outDir.resolve("shards")) ? " (finish the shards, then: degen merge " + outDir + ")" : "");
            } else {
                DegeneracyOptions opts = plan.degeneracyOptions().withThreads(workers);
                Map<String, List<RunArtifacts.Stored>> byCondition = new java.util.LinkedHashMap<>();
                int ci = 0;
                for (Plan.Condition c : plan.conditions()) {
                    ci++;
                    err.printf("[metrics %d/%d] condition %s %s%n", ci, plan.conditions().size(), c.id(), Json.line(c.values()));
                    List<RunArtifacts.Stored> stored = load(plan, c, runsDir, pool, catalog, corrupt, outcomes, err);
                    byCondition.put(c.id(), stored);
                    Map<String, Object> analysis = Degeneracy.analyse(stored, opts, be, io.degen.metrics.PairBlocks.dir(outDir, c.id()), err);
                    for (String level : List.of("dynamics", "weights", "feature-learning")) {
                        if (!plan.spec().levels().contains(level)) analysis.remove(level.replace('-', '_'));
                    }
                    writeMetrics(outDir, plan, c, analysis, catalog);
                    analysed++;
                }
                if (plan.spec().levels().contains("dynamics") && plan.conditions().size() > 1) {
                    err.printf("[metrics] joint DSA map over all conditions%n");
                    Map<String, Object> joint = Degeneracy.jointDynamics(byCondition, opts, be);
                    AtomicFiles.writeString(outDir.resolve(JOINT_DSA), Json.pretty(sanitize(joint)));
                }
            }
            trained = 0; skipped = 0;
            for (TrainingPool.Outcome o : outcomes) { if (o.skipped()) skipped++; else trained++; }
            err.printf("done: %d trained, %d already stored, %d corrupt and retrained, %d condition(s) analysed%n",
                    trained, skipped, corrupt.size(), analysed);
            return new Result(outDir, plan.runs().size(), selected.size(), trained, skipped, corrupt, all, analysed, outcomes);
        }
    }

    /** The store of shard {@code index} of {@code count} inside {@code outDir}: {@code outDir/shards/I-of-K}. */
    public static Path shardStore(Path outDir, int index, int count) {
        return outDir.resolve("shards").resolve(index + "-of-" + count);
    }

    /**
     * One shard: its own store {@code DIR/shards/I-of-K} (runs/, catalog.sqlite, .lock), so K shard
     * processes on one DIR never contend. Runs already merged into {@code DIR/runs} (verified) count as
     * finished. No metrics: {@code degen merge DIR} then {@code degen run SPEC --out DIR} computes them.
     */
    private static Result runShard(Plan plan, Path outDir, int workers, int ensemble, Backend be, PrintStream err, int shardIndex, int shardCount)
            throws IOException, InterruptedException, SQLException {
        Path store = shardStore(outDir, shardIndex, shardCount);
        Files.createDirectories(store);
        try (StoreLock lock = StoreLock.acquire(store); Catalog catalog = Catalog.open(store)) {
            AtomicFiles.writeString(store.resolve("plan.json"), Json.pretty(plan.toMap()));
            Path runsDir = store.resolve("runs"), mergedDir = outDir.resolve("runs");
            Files.createDirectories(runsDir);
            int stale = RunArtifacts.removeStaleTemporaries(runsDir);
            if (stale > 0) err.printf("removed %d half-written network(s) left by an interrupted run%n", stale);
            String spec = plan.name();
            catalog.transaction(() -> {
                for (Plan.Condition c : plan.conditions()) catalog.upsertCondition(c.id(), spec, Json.line(c.values()));
                return null;
            });
            List<RunConfig> selected = plan.shard(shardIndex, shardCount);
            err.printf("experiment %s: %d run(s), shard %d/%d: %d runs, backend %s, %d worker(s), store %s%n", spec,
                    plan.runs().size(), shardIndex, shardCount, selected.size(), be.name(), workers, store);
            List<String> corrupt = new ArrayList<>();
            List<TrainingPool.Outcome> outcomes = new ArrayList<>();
            List<RunConfig> todo = new ArrayList<>();
            int merged = 0;
            for (RunConfig r : selected) {
                if (RunArtifacts.isComplete(mergedDir, r.id())) {
                    outcomes.add(new TrainingPool.Outcome(r, RunArtifacts.dirFor(mergedDir, r.id()), null, true));
                    merged++;
                    continue;
                }
                todo.add(r);
                recordStored(plan, r, runsDir, catalog, corrupt, err);
            }
            if (merged > 0) err.printf("%d run(s) of this shard are already merged into %s%n", merged, mergedDir);
            TrainingPool pool = new TrainingPool(be, workers, ensemble, err);
            outcomes.addAll(pool.train(todo, runsDir, (r, res) -> record(catalog, plan, r, res, err)));
            int trained = 0, skipped = 0;
            for (TrainingPool.Outcome o : outcomes) { if (o.skipped()) skipped++; else trained++; }
            err.printf("done: shard %d/%d, %d trained, %d already stored, %d corrupt and retrained; "
                    + "when every shard is done: degen merge %s, then degen run SPEC --out %s%n",
                    shardIndex, shardCount, trained, skipped, corrupt.size(), outDir, outDir);
            return new Result(store, plan.runs().size(), selected.size(), trained, skipped, corrupt, false, 0, outcomes);
        }
    }

    /**
     * (Re)records a network that is already stored, since the catalog may have missed it if a crash
     * hit between publishing and inserting; a corrupt one is reported and discarded for retraining.
     */
    private static void recordStored(Plan plan, RunConfig r, Path runsDir, Catalog catalog, List<String> corrupt, PrintStream err)
            throws IOException, SQLException {
        Path d = RunArtifacts.dirFor(runsDir, r.id());
        if (!Files.exists(d)) return;
        RunArtifacts.Stored s;
        try {
            s = RunArtifacts.read(d);
        } catch (IOException | RuntimeException e) {
            discard(d, r, e, corrupt, err);
            return;
        }
        catalog.upsertRun(row(plan, r, s.record().get("status").asText(), s.record().get("epochs").asInt(),
                s.record().get("final_loss").asDouble(), s.record().get("wall_seconds").asDouble(),
                s.record().path("backend").asText(null)));
    }

    /** Reads a condition's networks; a corrupt one is reported, deleted and trained again. */
    private static List<RunArtifacts.Stored> load(Plan plan, Plan.Condition c, Path runsDir, TrainingPool pool, Catalog catalog,
                                                  List<String> corrupt, List<TrainingPool.Outcome> outcomes, PrintStream err)
            throws IOException, InterruptedException {
        List<RunConfig> redo = new ArrayList<>();
        for (RunConfig r : c.runs()) {
            Path d = RunArtifacts.dirFor(runsDir, r.id());
            try { RunArtifacts.read(d); }
            catch (IOException | RuntimeException e) { discard(d, r, e, corrupt, err); redo.add(r); }
        }
        if (!redo.isEmpty()) {
            for (TrainingPool.Outcome o : pool.train(redo, runsDir, (r, res) -> record(catalog, plan, r, res, err))) {
                outcomes.removeIf(x -> x.run().id().equals(o.run().id()));
                outcomes.add(o);
            }
        }
        List<RunArtifacts.Stored> out = new ArrayList<>();
        for (RunConfig r : c.runs()) out.add(RunArtifacts.read(RunArtifacts.dirFor(runsDir, r.id())));
        return out;
    }

    private static void discard(Path d, RunConfig r, Exception e, List<String> corrupt, PrintStream err) throws IOException {
        err.printf("corrupt stored network %s (%s): deleting it and training it again%n", r.id(), e.getMessage());
        if (!corrupt.contains(r.id())) corrupt.add(r.id());
        try (var s = Files.walk(d)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    private static void record(Catalog catalog, Plan plan, RunConfig r, TrainResult res, PrintStream err) {
        try {
            catalog.upsertRun(row(plan, r, res.status().label(), res.epochs(), res.finalLoss(), res.wallSeconds(), res.backend()));
        } catch (SQLException e) {
            err.println("warning: could not record run " + r.id() + " in the catalog (it is recorded on the next run): " + e.getMessage());
        }
    }

    private static Catalog.RunRow row(Plan plan, RunConfig r, String status, int epochs, double finalLoss, double wall, String backend) {
        Plan.Condition c = plan.conditionOf(r.id());
        return new Catalog.RunRow(r.id(), plan.name(), plan.spec().hash(), c.id(), Json.line(c.values()), r.seed(), status, epochs,
                finalLoss, null, wall, backend);
    }

    private static void writeMetrics(Path outDir, Plan plan, Plan.Condition c, Map<String, Object> analysis, Catalog catalog)
            throws IOException, SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", plan.name());
        m.put("spec_hash", plan.spec().hash());
        m.put("condition_id", c.id());
        m.put("values", c.values());
        List<String> ids = new ArrayList<>();
        for (RunConfig r : c.runs()) ids.add(r.id());
        m.put("runs", ids);
        m.put("options", plan.degeneracyOptions());
        m.put("analysis", analysis);
        List<MetricValue> mv = metrics(analysis);
        Map<String, Object> flat = new LinkedHashMap<>();
        for (MetricValue v : mv) flat.put(v.metric(), Map.of("value", nan(v.value()), "se", nan(v.se()), "n", v.n() == null ? -1 : v.n()));
        m.put("metrics", flat);
        AtomicFiles.writeString(outDir.resolve("metrics").resolve(c.id() + ".json"), Json.pretty(sanitize(m)));
        catalog.transaction(() -> {
            for (MetricValue v : mv) catalog.upsertMetric(plan.name(), c.id(), v.metric(), v.value(), v.se(), v.n());
            Object per = analysis.get("per_run");
            if (per instanceof Map<?, ?> pm) {
                for (var e : pm.entrySet()) {
                    if (e.getValue() instanceof Map<?, ?> r && r.get("ood_loss") instanceof Number n) catalog.setOodLoss((String) e.getKey(), n.doubleValue());
                }
            }
            return null;
        });
    }

    private static Object nan(Double d) { return d == null ? "NaN" : d.isNaN() || d.isInfinite() ? String.valueOf(d) : d; }

    /** JSON has no NaN: non-finite numbers are written as strings ("NaN"). */
    public static Object sanitize(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (var e : m.entrySet()) c.put(String.valueOf(e.getKey()), sanitize(e.getValue()));
            return c;
        }
        if (o instanceof List<?> l) { List<Object> c = new ArrayList<>(); for (Object x : l) c.add(sanitize(x)); return c; }
        if (o instanceof double[] a) { List<Object> c = new ArrayList<>(); for (double x : a) c.add(sanitize(x)); return c; }
        if (o instanceof double[][] a) { List<Object> c = new ArrayList<>(); for (double[] x : a) c.add(sanitize(x)); return c; }
        if (o instanceof Double d && !Double.isFinite(d)) return String.valueOf(d);
        if (o instanceof Float f && !Float.isFinite(f)) return String.valueOf(f);
        return o;
    }

    /**
     * The condition-level metrics present in an analysis map (as returned by {@link Degeneracy#analyse}
     * or read back from a metrics file); levels that are absent or {@code available: false} are skipped.
     */
    public static List<MetricValue> metrics(Map<String, ?> a) {
        List<MetricValue> out = new ArrayList<>();
        Map<?, ?> beh = sub(a, "behaviour"), dyn = sub(a, "dynamics"), w = sub(a, "weights"), fl = sub(a, "feature_learning");
        Integer conv = integer(a.get("converged"));
        if (beh != null) {
            Integer n = integer(beh.get("n"));
            add(out, "behaviour_sd_ood", num(beh.get("sd_ood_loss")), num(beh.get("se_sd_ood_loss")), n);
            Double seMean = null;
            Object per = a.get("per_run");
            if (per instanceof Map<?, ?> pm) {
                List<Double> xs = new ArrayList<>();
                for (Object r : pm.values()) if (r instanceof Map<?, ?> rm && num(rm.get("ood_loss")) != null) xs.add(num(rm.get("ood_loss")));
                seMean = Degeneracy.se(xs.stream().mapToDouble(Double::doubleValue).toArray());
            }
            add(out, "behaviour_mean_ood", num(beh.get("mean_ood_loss")), seMean, n);
        }
        if (dyn != null) {
            Integer n = integer(dyn.containsKey("n") ? dyn.get("n") : conv);
            add(out, "dynamics_dsa", num(dyn.get("mean")), num(dyn.get("se")), n);
            add(out, "dynamics_null", num(dyn.get("null_mean")), num(dyn.get("null_se")), n);
        }
        if (w != null) {
            add(out, "weights_pif", num(w.get("mean")), num(w.get("se")), integer(w.containsKey("n") ? w.get("n") : conv));
            add(out, "weights_pif_per_param", num(w.get("mean_per_param")), num(w.get("se_per_param")), integer(w.containsKey("n") ? w.get("n") : conv));
        }
        if (fl != null) {
            add(out, "weight_change", num(fl.get("weight_change_recurrent_mean")), num(fl.get("weight_change_recurrent_se")), conv);
            add(out, "kernel_alignment", num(fl.get("kernel_alignment_mean")), num(fl.get("kernel_alignment_se")), conv);
        }
        Integer nets = integer(a.get("networks"));
        if (nets != null && nets > 0 && conv != null) {
            double p = conv / (double) nets;
            add(out, "share_converged", p, Math.sqrt(p * (1 - p) / nets), nets);
        }
        return out;
    }

    private static Map<?, ?> sub(Map<String, ?> a, String k) {
        Object v = a.get(k);
        if (!(v instanceof Map<?, ?> m)) return null;
        if (Boolean.FALSE.equals(m.get("available"))) return null;
        return m;
    }

    private static void add(List<MetricValue> out, String name, Double v, Double se, Integer n) {
        if (v != null) out.add(new MetricValue(name, v, se, n));
    }

    static Double num(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if (o instanceof String s) { try { return Double.parseDouble(s); } catch (NumberFormatException e) { return null; } }
        return null;
    }

    private static Integer integer(Object o) { return o instanceof Number n ? n.intValue() : null; }
}
