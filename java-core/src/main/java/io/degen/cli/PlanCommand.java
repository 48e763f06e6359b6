package io.degen.cli;

import io.degen.plan.Plan;
import io.degen.config.RunConfig;
import io.degen.plan.SpecReaders;
import io.degen.util.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code degen plan SPEC [--profile P] [--shards K]}: compiles a spec and shows what it would train. */
public final class PlanCommand implements Command {
    @Override public String name() { return "plan"; }

    @Override public String help() { return "show an experiment's conditions, runs and cost: plan SPEC [--profile quick] [--shards K]"; }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        String profile = a.string("profile", null);
        int shards = a.integer("shards", 0, 1, 100000);
        a.finish();
        Plan plan = SpecReaders.load(spec, profile).compile();
        var err = System.err;
        err.printf(Locale.ROOT, "experiment %s%s: %d condition(s) x %d seed(s) = %d run(s), estimated cost %.3g multiply-adds%n",
                plan.name(), profile == null ? "" : " (profile " + profile + ")", plan.conditions().size(), plan.spec().seeds().size(),
                plan.runs().size(), plan.estimatedCost());
        List<Map<String, Object>> conds = new ArrayList<>();
        for (Plan.Condition c : plan.conditions()) {
            err.printf("  [%d] %s %s%n", c.index(), c.id(), Json.line(c.values()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("id", c.id());
            m.put("values", c.values());
            List<String> ids = new ArrayList<>();
            for (RunConfig r : c.runs()) ids.add(r.id());
            m.put("runs", ids);
            conds.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", plan.name());
        out.put("profile", profile);
        out.put("spec_hash", plan.spec().hash());
        List<String> axes = new ArrayList<>();
        for (var ax : plan.spec().axes()) axes.add(ax.name());
        out.put("axes", axes);
        out.put("conditions", conds);
        out.put("runs", plan.runs().size());
        out.put("seeds", plan.spec().seeds());
        out.put("estimated_cost", plan.estimatedCost());
        if (shards > 0) {
            List<Map<String, Object>> sh = new ArrayList<>();
            List<List<RunConfig>> ss = plan.shards(shards);
            for (int i = 0; i < ss.size(); i++) {
                double cost = 0;
                List<String> ids = new ArrayList<>();
                for (RunConfig r : ss.get(i)) { ids.add(r.id()); cost += Plan.cost(r); }
                err.printf(Locale.ROOT, "  shard %d/%d: %d run(s), cost %.3g: %s%n", i, shards, ids.size(), cost, String.join(" ", ids));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", i);
                m.put("cost", cost);
                m.put("runs", ids);
                sh.add(m);
            }
            out.put("shards", sh);
        }
        return out;
    }
}
