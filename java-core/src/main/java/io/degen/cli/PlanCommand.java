package io.degen.cli;

import io.degen.pipeline.Experiment;
import io.degen.plan.Plan;
import io.degen.util.Json;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.bench.MeasuredEpochs;
import io.degen.bench.PlanTime;
import io.degen.pipeline.Progress;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Locale;

/** {@code degen plan SPEC}: compiles a spec and shows what it would train ({@link Plan#summary}); trains nothing. */
public final class PlanCommand implements Command {
    @Override public String name() { return "plan"; }

    @Override public String help() {
        return "show an experiment's conditions, runs, cost and time on this machine: plan SPEC [--profile quick] [--shards K] [--workers N] [--backend B] [--epochs-from STORE] [--no-timing]";
    }

    @Override public Set<String> flags() { return Set.of("no-timing"); }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        String profile = a.string("profile", null);
        int shards = a.integer("shards", 0, 1, 100000);
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        boolean timed = !a.flag("no-timing");
        String backend = a.string("backend", null);
        Path epochsFrom = a.has("epochs-from") ? a.path("epochs-from") : null;
        a.finish();
        if (epochsFrom != null && !timed) throw new UsageException("--epochs-from feeds the time estimate: it cannot go with --no-timing");
        // Every option is checked before anything is printed. --no-timing creates no engine, so a
        // plan for another machine's engine (a GPU node's cuda) can be shown here.
        String engine = Backends.requested(backend);
        if (!Backends.NAMES.contains(engine.toLowerCase(Locale.ROOT))) {
            throw new UsageException((backend == null || backend.isBlank() ? "" : "option --") + Backends.unknown(backend, System.getenv(Backends.ENV)));
        }
        MeasuredEpochs measured = epochsFrom == null ? null : MeasuredEpochs.from(epochsFrom);
        Plan plan = Experiment.plan(spec, profile);
        Plan.Summary s = plan.summary(shards);
        a.err().printf(Locale.ROOT, "experiment %s%s: %d condition(s) x %d seed(s) = %d run(s), estimated cost %.3g floating-point operations%n",
                s.name(), profile == null ? "" : " (profile " + profile + ")", s.conditions().size(), s.seeds().size(), s.runs(), s.estimatedCost());
        for (Plan.ConditionSummary c : s.conditions()) a.err().printf("  [%d] %s %s%n", c.index(), c.id(), Json.line(c.values()));
        if (s.shards() != null) {
            for (Plan.ShardSummary x : s.shards()) {
                a.err().printf(Locale.ROOT, "  shard %d/%d: %d run(s), cost %.3g: %s%n", x.index(), shards, x.runs().size(), x.cost(), String.join(" ", x.runs()));
            }
        }
        if (!timed) return s;
        PlanTime.Estimate t;
        try (Backend be = Backends.create(backend)) { t = PlanTime.of(plan, workers, shards, be, measured); }
        a.err().printf(Locale.ROOT, "estimated time on this machine: %s with %d worker(s) (one training step of %s: %.2f ms; "
                + "%.3g network-steps at the epochs of %s)%n", Progress.fmt(t.seconds()), t.workers(), t.calibratedOn(), t.msPerStep(),
                t.networkSteps(), t.epochsFrom());
        if (t.longestShardSeconds() != null) {
            a.err().printf(Locale.ROOT, "longest of %d shards: %s with %d worker(s) each%n", shards, Progress.fmt(t.longestShardSeconds()), t.workers());
        }
        @SuppressWarnings("unchecked") Map<String, Object> out = Json.MAPPER.convertValue(s, LinkedHashMap.class);
        out.put("estimated_seconds", t.seconds());
        out.put("timing", t);
        return out;
    }
}
