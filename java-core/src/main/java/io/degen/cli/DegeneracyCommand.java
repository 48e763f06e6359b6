package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.MeasureOptions;
import io.degen.degeneracy.Analysis;
import io.degen.pipeline.Experiment;
import io.degen.store.RunArtifacts;
import io.degen.util.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code degen degeneracy RUNS_DIR}: analyses every stored network under RUNS_DIR (or DIR/runs),
 * grouped by condition, at all levels ({@link Experiment#analyseRuns}); the pairwise matrices are
 * left out of the result unless {@code --matrices}.
 */
public final class DegeneracyCommand implements Command {
    @Override public String name() { return "degeneracy"; }

    @Override public String help() { return "analyse stored networks by condition, with these settings (not a store's spec: for a store, degen measure): degeneracy RUNS_DIR [--dsa-delays 5 --dsa-rank 20 --probe-trials 64 --threads N --backend auto --metrics-backend java|mkl|cuda --matrices]"; }

    @Override public Set<String> flags() { return Set.of("matrices"); }

    @Override public Object run(Args a) throws Exception {
        Path dir = Path.of(a.positional(0, "RUNS_DIR (a directory of run directories)"));
        MeasureOptions d = MeasureOptions.defaults();
        int delays = a.integer("dsa-delays", d.dsaDelays(), 1, 100000);
        int rank = a.integer("dsa-rank", d.dsaRank(), 1, 100000);
        int probe = a.integer("probe-trials", d.probeTrials(), 1, 1_000_000);
        int threads = a.integer("threads", d.threads(), 1, 1024);
        boolean matrices = a.flag("matrices");
        String backend = a.string("backend", null);
        String metricsBackend = a.choice("metrics-backend", d.metricsBackend(), MeasureOptions.METRICS_BACKENDS.stream().sorted().toArray(String[]::new));
        a.finish();
        String unusable = Backends.unavailableReason(metricsBackend);
        if (unusable != null) throw new UsageException("--metrics-backend " + metricsBackend + " is not usable here: " + unusable);
        if (!Files.isDirectory(dir)) throw new UsageException("no such directory: " + dir);
        if (Files.isDirectory(dir.resolve("runs")) && !Files.exists(dir.resolve(RunArtifacts.RECORD))) dir = dir.resolve("runs");
        MeasureOptions opts = d.withDsa(delays, rank).withProbeTrials(probe).withThreads(threads).withMetricsBackend(metricsBackend);
        try (Backend be = Backends.create(backend)) {
            Experiment.RunsAnalysis r = Experiment.analyseRuns(dir, opts, Analysis.allLevels(), be, a.err());
            return matrices ? r : strip(Json.MAPPER.convertValue(r, Object.class));
        }
    }

    /** Drops every "matrix" entry (the pairwise distance matrices), recursively. */
    static Object strip(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (var e : m.entrySet()) if (!"matrix".equals(e.getKey())) c.put(String.valueOf(e.getKey()), strip(e.getValue()));
            return c;
        }
        if (o instanceof List<?> l) { List<Object> c = new ArrayList<>(); for (Object x : l) c.add(strip(x)); return c; }
        return o;
    }
}
