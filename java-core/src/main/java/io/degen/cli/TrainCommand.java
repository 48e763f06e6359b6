package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.RunConfig;
import io.degen.pipeline.Experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code degen train}: trains networks for a list of seeds into a store directory ({@link Experiment#trainRuns}). */
public final class TrainCommand implements Command {
    @Override public String name() { return "train"; }

    @Override public String help() { return "train networks: --task flipflop --channels 3 --hidden 128 --seeds 0-9 --out DIR [--workers N] [--ensemble K] [--backend B]"; }

    @Override public Set<String> flags() { return RunOptions.FLAGS; }

    @Override public Object run(Args a) throws Exception {
        Path out = a.path("out");
        List<Long> seeds = a.seeds("seeds", "0");
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        int ensemble = a.integer("ensemble", 1, 1, 4096);
        String backendName = a.string("backend", null);
        List<RunConfig> runs = new ArrayList<>();
        for (long s : seeds) runs.add(RunOptions.run(a, s));
        a.finish();
        try (Backend be = Backends.create(backendName)) {
            return Experiment.trainRuns(runs, out, workers, ensemble, be, a.err());
        }
    }
}
