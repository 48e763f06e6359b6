package io.degen.cli;

import io.degen.pipeline.Experiment;
import io.degen.plan.Plan;
import io.degen.util.Json;

import java.nio.file.Path;
import java.util.Locale;

/** {@code degen plan SPEC}: compiles a spec and shows what it would train ({@link Plan#summary}); trains nothing. */
public final class PlanCommand implements Command {
    @Override public String name() { return "plan"; }

    @Override public String help() { return "show an experiment's conditions, runs and cost: plan SPEC [--profile quick] [--shards K]"; }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        String profile = a.string("profile", null);
        int shards = a.integer("shards", 0, 1, 100000);
        a.finish();
        Plan.Summary s = Experiment.plan(spec, profile).summary(shards);
        a.err().printf(Locale.ROOT, "experiment %s%s: %d condition(s) x %d seed(s) = %d run(s), estimated cost %.3g floating-point operations%n",
                s.name(), profile == null ? "" : " (profile " + profile + ")", s.conditions().size(), s.seeds().size(), s.runs(), s.estimatedCost());
        for (Plan.ConditionSummary c : s.conditions()) a.err().printf("  [%d] %s %s%n", c.index(), c.id(), Json.line(c.values()));
        if (s.shards() != null) {
            for (Plan.ShardSummary x : s.shards()) {
                a.err().printf(Locale.ROOT, "  shard %d/%d: %d run(s), cost %.3g: %s%n", x.index(), shards, x.runs().size(), x.cost(), String.join(" ", x.runs()));
            }
        }
        return s;
    }
}
