package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.pipeline.Experiment;
import io.degen.plan.Plan;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code degen run}: trains, measures and reports an experiment into a store directory
 * ({@link Experiment#run}); resumable. With {@code --shard I/K} only shard I of the plan is trained,
 * into its own store; metrics wait for {@code degen merge} and {@code degen measure}.
 */
public final class RunCommand implements Command {
    @Override public String name() { return "run"; }

    @Override public String help() {
        return "train, measure and report an experiment: run SPEC --out DIR [--workers N] [--ensemble K] [--profile P] [--backend B] "
                + "[--shard I/K] [--no-report]";
    }

    @Override public Set<String> flags() { return Set.of("no-report"); }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        Path out = a.path("out");
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        int ensemble = a.integer("ensemble", 1, 1, 4096);
        String profile = a.string("profile", null);
        String backend = a.string("backend", null);
        int[] shard = a.part("shard");
        boolean report = !a.flag("no-report");
        a.finish();
        Plan plan = Experiment.plan(spec, profile);
        var options = new Experiment.TrainOptions(workers, ensemble, shard == null ? 0 : shard[0], shard == null ? 1 : shard[1]);
        try (Backend be = Backends.create(backend)) {
            return Experiment.run(plan, out, options, report, be, a.err());
        }
    }
}
