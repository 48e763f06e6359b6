package io.degen.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.Level;
import io.degen.config.MeasureOptions;
import io.degen.config.RunConfig;
import io.degen.degeneracy.Analysis;
import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.JointDynamics;
import io.degen.degeneracy.MetricValue;
import io.degen.degeneracy.NetworkResult;
import io.degen.degeneracy.Population;
import io.degen.io.AtomicFiles;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.plan.SpecReaders;
import io.degen.report.ReportWriter;
import io.degen.store.BlockFiles;
import io.degen.store.Catalog;
import io.degen.store.MetricsFiles;
import io.degen.store.RunArtifacts;
import io.degen.store.Store;
import io.degen.store.StoreFormatException;
import io.degen.store.StoreLayout;
import io.degen.store.StoreLock;
import io.degen.store.StoredRun;
import io.degen.util.Json;
import io.degen.verdict.Figure;
import io.degen.verdict.VerdictException;
import io.degen.verdict.VerdictTable;
import io.degen.verdict.Verdicts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experiment API: the four steps of the data flow, each taking and returning plain values, used
 * by the CLI and the Clojure DSL alike. {@link #plan} compiles a spec; {@link #train} trains a plan
 * (or one shard of it) into a store directory, resumably; {@link #measure} analyses a trained store
 * (only the levels the spec asks for); {@link #report} writes its report; {@link #run} does all four.
 * The caller creates the engine that runs the networks and passes it in; measuring creates the
 * spec's metrics engine once ({@code measure.metrics-backend}) and passes it to every level.
 * Store layout and guarantees: docs/store.md.
 */
public final class Experiment {
    private Experiment() { }

    /** How a plan is trained: worker threads, seeds per worker trained in lockstep, and the shard (0 of 1: all). */
    public record TrainOptions(int workers, int ensemble, int shardIndex, int shardCount) {
        public TrainOptions {
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            if (ensemble < 1) throw new IllegalArgumentException("ensemble must be >= 1, got " + ensemble);
            if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                throw new IllegalArgumentException("shard I/K needs 0 <= I < K, got " + shardIndex + "/" + shardCount);
            }
        }

        public static TrainOptions workers(int workers) { return new TrainOptions(workers, 1, 0, 1); }

        public boolean sharded() { return shardCount > 1; }
    }

    // ---- plan ---------------------------------------------------------------------------------

    /** A spec (plain data, as read from EDN or JSON) compiled into its plan; {@code profile} may be null. */
    public static Plan plan(Map<String, ?> spec, String profile) { return ExperimentSpec.fromMap(spec, profile).compile(); }

    /** A spec file (.edn or .json) compiled into its plan. */
    public static Plan plan(Path specFile, String profile) throws IOException { return SpecReaders.load(specFile, profile).compile(); }

    /** The plan a store was trained from ({@code plan.json}), compiled again from the spec it holds. */
    public static Plan storedPlan(Path out) throws IOException {
        StoreLayout layout = StoreLayout.at(out);
        Path f = layout.plan();
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(out + " is not an experiment store (no " + StoreLayout.PLAN + "; run 'degen run SPEC --out " + out + "' first)");
        }
        JsonNode j;
        try { j = Json.read(f); } catch (IOException e) { throw new StoreFormatException(f + ": not valid JSON (" + e.getMessage() + ")"); }
        if (!j.path("spec").isObject()) throw new StoreFormatException(f + ": holds no spec");
        @SuppressWarnings("unchecked") Map<String, Object> spec = Json.MAPPER.convertValue(j.get("spec"), LinkedHashMap.class);
        String profile = j.path("profile").isTextual() ? j.get("profile").asText() : null;
        Plan p = ExperimentSpec.fromMap(spec, profile).compileStored();
        if (j.has("spec_hash") && !p.spec().hash().equals(j.get("spec_hash").asText())) {
            throw new StoreFormatException(f + ": its spec no longer compiles to the plan it was written with (spec hash "
                    + j.get("spec_hash").asText() + ", now " + p.spec().hash() + ")");
        }
        return p;
    }

    // ---- train --------------------------------------------------------------------------------

    /**
     * Trains every run of the plan (or of its shard) that is not already stored, verified, in
     * {@code out}. A corrupt stored network is reported, deleted and trained again. A shard trains
     * into its own store {@code out/shards/I-of-K} (merge them with {@code degen merge}); runs already
     * merged into {@code out} count as done.
     */
    public static TrainSummary train(Plan plan, Path out, TrainOptions o, Backend be, PrintStream err)
            throws IOException, InterruptedException, SQLException {
        StoreLayout main = StoreLayout.at(out);
        StoreLayout target = o.sharded() ? main.shard(o.shardIndex(), o.shardCount()) : main;
        checkBeforeWriting(plan, target, o);
        Files.createDirectories(out);
        try (StoreSession s = StoreSession.open(target, err)) {
            return train(plan, main, s, o, be, err);
        }
    }

    private static TrainSummary train(Plan plan, StoreLayout main, StoreSession s, TrainOptions o, Backend be, PrintStream err)
            throws IOException, InterruptedException, SQLException {
        AtomicFiles.writeString(s.layout.plan(), Json.pretty(plan.toMap()));
        Files.createDirectories(s.layout.runs());
        int stale = RunArtifacts.removeStaleTemporaries(s.layout.runs());
        if (stale > 0) err.printf("removed %d half-written network(s) left by an interrupted run%n", stale);
        s.catalog.transaction(() -> {
            for (Plan.Condition c : plan.conditions()) s.catalog.upsertCondition(c.id(), plan.name(), Json.line(c.values()));
            return null;
        });
        List<RunConfig> selected = o.sharded() ? plan.shard(o.shardIndex(), o.shardCount()) : plan.runs();
        err.printf("experiment %s: %d condition(s), %d run(s)%s, backend %s, %d worker(s), store %s%n", plan.name(),
                plan.conditions().size(), plan.runs().size(),
                o.sharded() ? String.format(" (shard %d/%d: %d runs)", o.shardIndex(), o.shardCount(), selected.size()) : "",
                be.name(), o.workers(), s.layout.root());
        Store merged = o.sharded() ? new Store(main) : s.store;
        List<String> corrupt = new ArrayList<>();
        List<TrainingPool.Outcome> outcomes = new ArrayList<>();
        List<RunConfig> todo = new ArrayList<>();
        int alreadyMerged = 0;
        for (RunConfig r : selected) {
            if (o.sharded() && merged.isComplete(r.id())) {
                outcomes.add(new TrainingPool.Outcome(r, merged.get(r.id()), null, true));
                alreadyMerged++;
                continue;
            }
            todo.add(r);
            // The catalog may have missed a stored network if a crash hit between publishing and inserting.
            if (s.store.isCorrupt(r.id())) {
                err.printf("corrupt stored network %s (%s): deleting it and training it again%n", r.id(), s.store.problem(r.id()));
                corrupt.add(r.id());
                s.store.discard(r.id());
            } else if (s.store.isComplete(r.id())) {
                s.catalog.upsertRun(Reindex.row(plan, s.store.get(r.id())));
            }
        }
        if (alreadyMerged > 0) err.printf("%d run(s) of this shard are already merged into %s%n", alreadyMerged, main.runs());
        List<String> ids = new ArrayList<>();
        for (RunConfig r : todo) ids.add(r.id());
        int sealed = s.store.sealLegacy(ids);
        if (sealed > 0) err.printf("sealed %d record(s) written by an earlier version (verified first)%n", sealed);
        TrainingPool pool = new TrainingPool(be, o.workers(), o.ensemble(), err).describedBy(r -> {
            Plan.Condition c = plan.conditionOf(r.id());
            return c == null || c.values().isEmpty() ? r.task().type() + "/" + r.model().type() + "-" + r.model().hidden()
                    : io.degen.report.Charts.label(c.values());
        });
        outcomes.addAll(pool.train(todo, s.store, (r, res) -> record(s.catalog, plan, r, s.store.get(r.id()), err)));
        int trained = 0, skipped = 0;
        for (TrainingPool.Outcome x : outcomes) { if (x.skipped()) skipped++; else trained++; }
        boolean complete = !o.sharded() && allStored(plan, s.store);
        if (o.sharded()) {
            err.printf("done: shard %d/%d, %d trained, %d already stored, %d corrupt and retrained; when every shard is done: "
                    + "degen merge %s, then degen measure %s%n", o.shardIndex(), o.shardCount(), trained, skipped, corrupt.size(),
                    main.root(), main.root());
        }
        return new TrainSummary(s.layout.root().toString(), plan.runs().size(), selected.size(), trained, skipped, corrupt, complete,
                List.copyOf(outcomes));
    }

    /**
     * Everything that can be refused is refused before anything is written: networks that cannot
     * fit in the heap, and a store that already holds another study. A store holds one study: one set
     * of conditions. A spec that compiles to the same conditions (its description, expectations,
     * measure or report settings changed) is the same study, and its plan.json is updated.
     */
    private static void checkBeforeWriting(Plan plan, StoreLayout target, TrainOptions o) throws IOException {
        List<RunConfig> selected = o.sharded() ? plan.shard(o.shardIndex(), o.shardCount()) : plan.runs();
        TrainingPool.checkMemory(selected, o.workers() * o.ensemble(), Runtime.getRuntime().maxMemory());
        if (!Files.isRegularFile(target.plan())) return;
        JsonNode old;
        try { old = Json.read(target.plan()); } catch (IOException e) { throw new StoreFormatException(target.plan() + ": not valid JSON (" + e.getMessage() + ")"); }
        java.util.Set<String> had = new java.util.TreeSet<>(), now = new java.util.TreeSet<>();
        for (JsonNode c : old.path("conditions")) had.add(c.path("id").asText());
        for (Plan.Condition c : plan.conditions()) now.add(c.id());
        if (!had.equals(now)) {
            throw new IllegalArgumentException(target.root() + " holds the study " + old.path("name").asText("?") + " (spec hash "
                    + old.path("spec_hash").asText("?") + ", " + had.size() + " condition(s)); the spec " + plan.name() + " compiles to "
                    + (had.isEmpty() ? "" : "other ") + "conditions (" + now.size() + "): a store holds one study, give this one its own --out");
        }
    }

    private static boolean allStored(Plan plan, Store store) {
        for (RunConfig r : plan.runs()) if (!store.isComplete(r.id())) return false;
        return true;
    }

    /**
     * Trains a list of runs (no spec, e.g. {@code degen train}) into the store {@code out}, under its
     * lock, skipping those already stored and verified.
     */
    public static TrainedNetworks trainRuns(List<RunConfig> runs, Path out, int workers, int ensemble, Backend be, PrintStream err)
            throws IOException, InterruptedException, SQLException {
        if (runs.isEmpty()) throw new IllegalArgumentException("no networks to train");
        Files.createDirectories(out);
        try (StoreLock lock = StoreLock.acquire(out)) {
            Store store = Store.at(out);
            RunArtifacts.removeStaleTemporaries(store.layout().runs());
            err.printf("training %d network(s) of %s on backend %s with %d worker(s) into %s%n", runs.size(),
                    runs.get(0).task().type(), be.name(), workers, out);
            List<TrainingPool.Outcome> outcomes = new TrainingPool(be, workers, ensemble, err).train(runs, store, null);
            List<TrainedNetworks.Row> rows = new ArrayList<>();
            int conv = 0, notConv = 0, div = 0;
            double[] epochs = new double[outcomes.size()], walls = new double[outcomes.size()];
            for (int i = 0; i < outcomes.size(); i++) {
                TrainingPool.Outcome o = outcomes.get(i);
                io.degen.store.RunRecord rec = o.stored().record();
                rows.add(new TrainedNetworks.Row(rec.id(), o.run().seed(), rec.status().label(), rec.epochs(), rec.finalLoss(),
                        rec.wallSeconds(), o.skipped()));
                switch (rec.status()) {
                    case CONVERGED -> conv++;
                    case DIVERGED -> div++;
                    default -> notConv++;
                }
                epochs[i] = rec.epochs();
                walls[i] = rec.wallSeconds();
            }
            return new TrainedNetworks(be.name(), out.toString(), rows.size(), conv, notConv, div, io.degen.util.Median.of(epochs),
                    io.degen.util.Median.of(walls), rows);
        }
    }

    // ---- measure ------------------------------------------------------------------------------

    /** Measures a trained store with the plan it holds ({@code plan.json}). */
    public static MeasureSummary measure(Path out, int threads, Backend be, PrintStream err) throws IOException, SQLException {
        return measure(storedPlan(out), out, threads, be, err);
    }

    /**
     * Analyses every condition of a store whose runs are all stored: only the levels the spec asks
     * for, on {@code threads} threads; writes {@code metrics/CID.json}, the catalog's metrics and, with
     * the dynamics level and more than one condition, {@code joint-dsa.json}. Matrices of complete
     * block files ({@code degen metric-block}) are used instead of being computed. Trains nothing:
     * a missing or corrupt network is an error naming it.
     */
    public static MeasureSummary measure(Plan plan, Path out, int threads, Backend be, PrintStream err) throws IOException, SQLException {
        try (StoreSession s = StoreSession.open(StoreLayout.at(out), err)) {
            return measure(plan, s, threads, be, err);
        }
    }

    private static MeasureSummary measure(Plan plan, StoreSession s, int threads, Backend be, PrintStream err) throws IOException, SQLException {
        List<String> missing = new ArrayList<>(), corrupt = new ArrayList<>();
        for (RunConfig r : plan.runs()) {
            if (s.store.isCorrupt(r.id())) corrupt.add(r.id() + " (" + s.store.problem(r.id()) + ")");
            else if (!s.store.isComplete(r.id())) missing.add(r.id());
        }
        if (!missing.isEmpty() || !corrupt.isEmpty()) {
            throw new IllegalArgumentException((missing.size() + corrupt.size()) + " of the plan's " + plan.runs().size() + " networks are not usable in "
                    + s.layout.runs() + (missing.isEmpty() ? "" : "; not stored: " + first(missing))
                    + (corrupt.isEmpty() ? "" : "; corrupt: " + first(corrupt))
                    + (Files.isDirectory(s.layout.shards()) ? " (finish the shards, then: degen merge " + s.layout.root() + ")"
                    : " (train them: degen run SPEC --out " + s.layout.root() + ")"));
        }
        MeasureOptions opts = plan.degeneracyOptions().withThreads(threads);
        Set<Level> levels = levels(plan);
        try (Backend metrics = Backends.create(opts.metricsBackend())) {
            Analysis analysis = new Analysis(be, metrics, opts).reportingPairs(new PairProgressLine(err));
            List<Population> populations = new ArrayList<>();
            int ci = 0;
            for (Plan.Condition c : plan.conditions()) {
                err.printf("[metrics %d/%d] condition %s %s%n", ++ci, plan.conditions().size(), c.id(), Json.line(c.values()));
                Population p = Populations.load(s.store, c.id(), c.runs());
                ConditionResult r = analysis.analyse(p, levels, BlockFiles.assembleAll(s.layout.blocks(c.id()), levels, p.convergedIds(), opts, err));
                writeMetrics(plan, c, opts, r, s);
                if (levels.contains(Level.DYNAMICS) && plan.conditions().size() > 1) populations.add(p);
            }
            boolean joint = !populations.isEmpty();
            if (joint) {
                err.printf("[metrics] joint DSA map over all conditions%n");
                MetricsFiles.writeJoint(s.layout, analysis.jointDynamics(populations));
            }
            List<String> names = new ArrayList<>();
            for (Level l : levels) names.add(l.label());
            return new MeasureSummary(s.layout.root().toString(), plan.conditions().size(), names, joint);
        }
    }

    private static String first(List<String> xs) {
        return xs.size() <= 3 ? String.join(", ", xs) : String.join(", ", xs.subList(0, 3)) + " and " + (xs.size() - 3) + " more";
    }

    /** The levels the plan's spec asks for. */
    public static Set<Level> levels(Plan plan) {
        Set<Level> out = EnumSet.noneOf(Level.class);
        for (String l : plan.spec().levels()) out.add(Level.parse(l));
        return out;
    }

    private static void writeMetrics(Plan plan, Plan.Condition c, MeasureOptions opts, ConditionResult r, StoreSession s) throws IOException, SQLException {
        List<String> ids = new ArrayList<>();
        for (RunConfig x : c.runs()) ids.add(x.id());
        MetricsFiles.write(s.layout, plan.name(), plan.spec().hash(), c.id(), c.values(), ids, opts, r);
        s.catalog.transaction(() -> {
            for (MetricValue v : r.metrics()) s.catalog.upsertMetric(plan.name(), c.id(), v.metric(), v.value(), v.se(), v.n());
            for (var e : r.perRun().entrySet()) {
                NetworkResult n = e.getValue();
                if (n.oodLoss() != null) s.catalog.setOodLoss(e.getKey(), n.oodLoss());
            }
            return null;
        });
    }

    /** What {@link #metricBlock} did. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record BlockSummary(String file, String conditionId, String level, int block, int blocks, int networks, int pairs,
                               boolean skipped, Double seconds) { }

    /**
     * Computes block {@code index} of {@code k} of one condition's pairwise matrix from the networks
     * stored in {@code out} and writes its block file; a block whose file already verifies is skipped.
     * Takes no lock: block files are published atomically and each depends only on its networks.
     */
    public static BlockSummary metricBlock(Plan plan, Path out, String conditionId, Level level, int index, int k, int threads,
                                           Backend be, PrintStream err) throws IOException {
        if (!level.pairwise()) throw new IllegalArgumentException("level must be dynamics or weights, got " + level.label());
        Plan.Condition cond = null;
        for (Plan.Condition c : plan.conditions()) if (c.id().equals(conditionId)) cond = c;
        if (cond == null) throw new IllegalArgumentException("condition '" + conditionId + "' is not in the plan of " + plan.name());
        StoreLayout layout = StoreLayout.at(out);
        Store store = new Store(layout);
        for (RunConfig r : cond.runs()) {
            if (store.isCorrupt(r.id())) {
                throw new IllegalArgumentException("network " + r.id() + " in " + layout.runs() + " does not verify (" + store.problem(r.id())
                        + "); run degen run SPEC --out " + out + " to retrain it");
            }
            if (!store.isComplete(r.id())) {
                throw new IllegalArgumentException("network " + r.id() + " of condition " + conditionId + " is not in " + layout.runs()
                        + " (train and merge first: degen merge " + out + ")");
            }
        }
        Population p = Populations.load(store, conditionId, cond.runs());
        MeasureOptions opts = plan.degeneracyOptions().withThreads(threads);
        List<String> ids = p.convergedIds();
        Path blocks = layout.blocks(conditionId), file = BlockFiles.file(blocks, level, index, k);
        int pairs = io.degen.degeneracy.PairBlocks.block(ids.size(), index, k).size();
        if (BlockFiles.valid(blocks, level, index, k, ids, opts)) {
            err.printf("%s exists and verifies: skipped%n", file);
            return new BlockSummary(file.toString(), conditionId, level.label(), index, k, ids.size(), pairs, true, null);
        }
        if (Files.exists(file)) err.printf("%s does not verify: computing it again%n", file);
        long t0 = System.nanoTime();
        double[] d;
        try (Backend metrics = Backends.create(opts.metricsBackend())) {
            d = new Analysis(be, metrics, opts).reportingPairs(new PairProgressLine(err)).block(p, level, index, k);
        }
        BlockFiles.write(blocks, conditionId, level, index, k, ids, opts, d);
        return new BlockSummary(file.toString(), conditionId, level.label(), index, k, ids.size(), pairs, false, (System.nanoTime() - t0) / 1e9);
    }

    /** A stored network that could not be read, and why. */
    public record Unreadable(String dir, String error) { }

    /** What {@link #analyseRuns} found: every readable network grouped by condition, each condition analysed. */
    public record RunsAnalysis(String runsDir, int networks, List<Unreadable> corrupt, MeasureOptions options,
                               Map<String, ConditionResult> conditions) { }

    /**
     * Analyses every stored network under a directory of run directories (no plan needed), grouped
     * by condition id, at the given levels. Unreadable networks are listed and skipped.
     */
    public static RunsAnalysis analyseRuns(Path runsDir, MeasureOptions opts, Set<Level> levels, Backend be, PrintStream err) throws IOException {
        if (!Files.isDirectory(runsDir)) throw new IllegalArgumentException("no such directory: " + runsDir);
        Map<String, List<StoredRun>> groups = new java.util.TreeMap<>();
        List<Unreadable> corrupt = new ArrayList<>();
        List<Path> dirs;
        try (var st = Files.list(runsDir)) {
            dirs = st.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
        }
        int n = 0;
        for (Path d : dirs) {
            try {
                StoredRun r = RunArtifacts.read(d);
                groups.computeIfAbsent(r.config().conditionId(), k -> new ArrayList<>()).add(r);
                n++;
            } catch (IOException | RuntimeException e) {
                corrupt.add(new Unreadable(d.toString(), String.valueOf(e.getMessage())));
                err.println("skipping " + d + ": " + e.getMessage());
            }
        }
        if (n == 0) throw new IllegalArgumentException("no stored networks under " + runsDir);
        Map<String, ConditionResult> out = new LinkedHashMap<>();
        try (Backend metrics = Backends.create(opts.metricsBackend())) {
            Analysis analysis = new Analysis(be, metrics, opts).reportingPairs(new PairProgressLine(err));
            int i = 0;
            for (var e : groups.entrySet()) {
                err.printf("[%d/%d] condition %s: %d network(s)%n", ++i, groups.size(), e.getKey(), e.getValue().size());
                out.put(e.getKey(), analysis.analyse(Populations.of(e.getKey(), e.getValue()), levels));
            }
        }
        return new RunsAnalysis(runsDir.toString(), n, corrupt, opts, out);
    }

    // ---- run and report -----------------------------------------------------------------------

    /**
     * Trains the plan (or a shard), then, once every run is stored, measures it and (with
     * {@code report}) writes the report. The metrics engine is checked to load before any training.
     */
    public static RunSummary run(Plan plan, Path out, TrainOptions o, boolean report, Backend be, PrintStream err)
            throws IOException, InterruptedException, SQLException {
        String engine = plan.degeneracyOptions().metricsBackend(), why = Backends.unavailableReason(engine);
        if (why != null) throw new IllegalArgumentException("measure.metrics-backend " + engine + " is not usable here: " + why);
        if (o.sharded()) return RunSummary.of(train(plan, out, o, be, err), null);
        checkBeforeWriting(plan, StoreLayout.at(out), o);
        Files.createDirectories(out);
        RunSummary r;
        try (StoreSession s = StoreSession.open(StoreLayout.at(out), err)) {
            TrainSummary t = train(plan, s.layout, s, o, be, err);
            MeasureSummary m = null;
            if (t.complete()) {
                try {
                    m = measure(plan, s, o.workers(), be, err);
                } catch (Populations.UnusableNetworks e) {
                    // Networks whose weights do not fit their configuration: reported by id, discarded and trained again.
                    List<String> again = new ArrayList<>(t.corrupt());
                    for (var bad : e.problems.entrySet()) {
                        err.printf("corrupt stored network %s (%s): deleting it and training it again%n", bad.getKey(), bad.getValue());
                        s.store.discard(bad.getKey());
                        if (!again.contains(bad.getKey())) again.add(bad.getKey());
                    }
                    TrainSummary t2 = train(plan, s.layout, s, o, be, err);
                    t = new TrainSummary(t.out(), t.runs(), t.selected(), t.trained() + t2.trained(), t.skipped() - t2.trained(), again,
                            t2.complete(), t2.outcomes());
                    m = measure(plan, s, o.workers(), be, err);
                }
            }
            else err.printf("metrics skipped: not every run of the plan is stored yet in %s%n", s.layout.runs());
            err.printf("done: %d trained, %d already stored, %d corrupt and retrained, %d condition(s) analysed%n",
                    t.trained(), t.skipped(), t.corrupt().size(), m == null ? 0 : m.conditions());
            r = RunSummary.of(t, m);
        }
        if (report && r.metrics()) {
            String index = String.valueOf(report(out).get("report"));
            err.println("report: " + index);
            r = r.withReport(index);
        }
        return r;
    }

    /** What {@link #reindex} wrote into the catalog. */
    public record ReindexSummary(String out, int runs, int conditions, int metrics, int removed, List<String> unreadable) { }

    /**
     * Rebuilds a store's catalog ({@code catalog.sqlite}) from its run directories, plan and metrics
     * files, removing the rows of runs whose directories are gone (e.g. for a store committed without
     * its catalog).
     */
    public static ReindexSummary reindex(Path out, PrintStream err) throws IOException, SQLException {
        if (!Files.isDirectory(out)) throw new IllegalArgumentException("no such store directory: " + out);
        Plan plan = Files.isRegularFile(StoreLayout.at(out).plan()) ? storedPlan(out) : null;
        try (StoreSession s = StoreSession.open(StoreLayout.at(out), err)) {
            Reindex.Counts c = Reindex.rebuild(s, plan, err);
            return new ReindexSummary(out.toString(), c.runs(), c.conditions(), c.metrics(), c.removed(), c.unreadable());
        }
    }

    /**
     * Writes {@code DIR/report/} (index.html, figures, conditions.csv, runs.csv and, where the study
     * can be judged, verdict.md) and returns what it wrote.
     */
    public static Map<String, Object> report(Path out) throws IOException {
        if (!Files.isRegularFile(StoreLayout.at(out).plan())) throw new IllegalArgumentException(ReportWriter.notAStore(out));
        try (StoreLock lock = StoreLock.acquire(out)) {
            AtomicFiles.removeStale(StoreLayout.at(out).report());
            VerdictTable table = null;
            String problem = null;
            try {
                table = verdict(List.of(out));
            } catch (VerdictException | StoreFormatException e) {
                problem = e.getMessage(); // the report still shows what is there; a damaged plan is named by the writer
            }
            return ReportWriter.write(out, table, problem);
        }
    }

    // ---- verdict ------------------------------------------------------------------------------

    /**
     * The verdict table of these stores (one figure each, Holm over all of their cells): per level
     * the estimate per condition, the effect across the sweep with its interval, p raw and adjusted,
     * and agree / disagree / n.s. / unresolved against the spec's {@code expect}. Reads, never writes.
     */
    public static VerdictTable verdict(List<Path> stores) throws IOException {
        List<Figure> figures = new ArrayList<>();
        for (Path dir : stores) figures.add(StoredFigures.load(dir));
        return Verdicts.judge(figures);
    }

    /**
     * The dynamics verdict of a store at each DSA setting (every pair of {@code delays} and
     * {@code ranks}), from its stored networks; writes nothing. The other measure options are the spec's.
     */
    public static DsaSensitivity dsaSensitivity(Path out, List<Integer> delays, List<Integer> ranks, int threads, Backend be, PrintStream err)
            throws IOException {
        Plan plan = storedPlan(out);
        Figure stored = StoredFigures.load(plan, out);
        Store store = Store.at(out);
        List<Population> populations = new ArrayList<>();
        for (Plan.Condition c : plan.conditions()) populations.add(Populations.load(store, c.id(), c.runs()));
        MeasureOptions base = plan.degeneracyOptions().withThreads(threads);
        // Every setting of the grid is checked against every condition before any is fitted, so a
        // grid that narrow networks cannot give fails at once, naming the setting.
        for (int d : delays) {
            for (int r : ranks) {
                for (Plan.Condition c : plan.conditions()) {
                    RunConfig run = c.runs().get(0);
                    MeasureOptions.DsaMisfit m = base.withDsa(d, r).dsaMisfit(run.model().hidden(), run.task().trialLength());
                    if (m != null) {
                        throw new IllegalArgumentException("--delays " + d + " with --ranks " + r + " does not fit condition " + c.id() + " "
                                + Json.line(c.values()) + ": " + m.field() + " " + m.reason() + ", got " + m.value());
                    }
                }
            }
        }
        List<DsaSensitivity.Row> rows = new ArrayList<>();
        try (Backend metrics = Backends.create(base.metricsBackend())) {
            for (int d : delays) {
                for (int r : ranks) {
                    err.printf("[sensitivity] DSA with %d delays, rank %d%n", d, r);
                    Analysis analysis = new Analysis(be, metrics, base.withDsa(d, r));
                    List<Figure.Condition> conds = new ArrayList<>();
                    for (int i = 0; i < populations.size(); i++) {
                        Figure.Condition c = stored.conditions().get(i);
                        conds.add(new Figure.Condition(c.id(), c.value(), analysis.analyse(populations.get(i), EnumSet.of(Level.DYNAMICS))));
                    }
                    Figure f = new Figure(stored.name(), stored.source(), stored.knob(), conds, EnumSet.of(Level.DYNAMICS), stored.expect());
                    rows.add(new DsaSensitivity.Row(d, r, Verdicts.judge(List.of(f)).cells().get(0)));
                }
            }
        }
        return new DsaSensitivity(out.toString(), stored.name(), stored.knob(), rows);
    }

    // ---- catalog rows -------------------------------------------------------------------------

    private static void record(Catalog catalog, Plan plan, RunConfig r, StoredRun stored, PrintStream err) {
        try {
            catalog.upsertRun(Reindex.row(plan, stored));
        } catch (SQLException e) {
            err.println("warning: could not record run " + r.id() + " in the catalog (it is recorded on the next run): " + e.getMessage());
        }
    }


}
