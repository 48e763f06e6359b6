package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.bench.StudyBench;
import io.degen.pipeline.Experiment;
import io.degen.plan.Plan;

import java.nio.file.Path;

/**
 * {@code degen bench study SPEC --out NEW_DIR [--profile P] [--workers N] [--backend B]}: a whole
 * study end to end (train, measure, report) into a new store, with networks per hour and the
 * seconds of each phase ({@link StudyBench}).
 */
public final class BenchStudyCommand implements Command {
    @Override public String name() { return "bench study"; }

    @Override public String help() {
        return "time a whole study end to end into a new store: bench study SPEC --out NEW_DIR [--profile P] [--workers N] [--backend B]";
    }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        Path out = a.path("out");
        String profile = a.string("profile", null);
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        String backend = a.string("backend", null);
        a.finish();
        Plan plan = Experiment.plan(spec, profile);
        try (Backend be = Backends.create(backend)) {
            return StudyBench.run(plan, out, workers, be, a.err());
        }
    }
}
