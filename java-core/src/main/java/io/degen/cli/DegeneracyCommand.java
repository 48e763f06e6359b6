package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.metrics.Degeneracy;
import io.degen.config.DegeneracyOptions;
import io.degen.run.ExperimentRunner;
import io.degen.store.RunArtifacts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code degen degeneracy RUNS_DIR}: analyses every stored network under RUNS_DIR (or DIR/runs),
 * grouped by condition id, and prints each condition's {@link Degeneracy#analyse} map (without the
 * pairwise distance matrices unless {@code --matrices}). {@code --backend} runs the networks on the
 * probe trials; {@code --metrics-backend} (default {@code java}) is the engine of the DSA fits and
 * d_PIF products ({@link DegeneracyOptions#metricsBackend()}).
 */
public final class DegeneracyCommand implements Command {
    @Override public String name() { return "degeneracy"; }

    @Override public String help() { return "analyse stored networks by condition: degeneracy RUNS_DIR [--dsa-delays 5 --dsa-rank 20 --probe-trials 64 --threads N --backend auto --metrics-backend java|mkl|cuda --matrices]"; }

    @Override public Set<String> flags() { return Set.of("matrices"); }

    @Override public Object run(Args a) throws Exception {
        Path dir = Path.of(a.positional(0, "RUNS_DIR (a directory of run directories)"));
        DegeneracyOptions d = DegeneracyOptions.defaults();
        int delays = a.integer("dsa-delays", d.dsaDelays(), 1, 100000);
        int rank = a.integer("dsa-rank", d.dsaRank(), 1, 100000);
        int probe = a.integer("probe-trials", d.probeTrials(), 1, 1_000_000);
        int threads = a.integer("threads", d.threads(), 1, 1024);
        boolean matrices = a.flag("matrices");
        String backend = a.string("backend", null);
        String metricsBackend = a.string("metrics-backend", d.metricsBackend());
        a.finish();
        if (!DegeneracyOptions.METRICS_BACKENDS.contains(metricsBackend)) {
            throw new UsageException("--metrics-backend must be one of java, mkl, cuda; got '" + metricsBackend + "'");
        }
        String unusable = Backends.unavailableReason(metricsBackend);
        if (unusable != null) throw new UsageException("--metrics-backend " + metricsBackend + " is not usable here: " + unusable);
        if (!Files.isDirectory(dir)) throw new UsageException("no such directory: " + dir);
        if (Files.isDirectory(dir.resolve("runs")) && !Files.exists(dir.resolve(RunArtifacts.RECORD))) dir = dir.resolve("runs");
        DegeneracyOptions opts = d.withDsa(delays, rank).withProbeTrials(probe).withThreads(threads).withMetricsBackend(metricsBackend);
        Map<String, List<RunArtifacts.Stored>> groups = new TreeMap<>();
        List<Map<String, Object>> corrupt = new ArrayList<>();
        List<Path> dirs;
        try (var s = Files.list(dir)) { dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList(); }
        int n = 0;
        for (Path p : dirs) {
            try {
                RunArtifacts.Stored st = RunArtifacts.read(p);
                groups.computeIfAbsent(st.config().conditionId(), k -> new ArrayList<>()).add(st);
                n++;
            } catch (java.io.IOException | RuntimeException e) {
                corrupt.add(Map.of("dir", p.toString(), "error", String.valueOf(e.getMessage())));
                System.err.println("skipping " + p + ": " + e.getMessage());
            }
        }
        if (n == 0) throw new UsageException("no stored networks under " + dir);
        Map<String, Object> conds = new LinkedHashMap<>();
        try (Backend be = Backends.create(backend)) {
            int i = 0;
            for (var e : groups.entrySet()) {
                System.err.printf("[%d/%d] condition %s: %d network(s)%n", ++i, groups.size(), e.getKey(), e.getValue().size());
                Map<String, Object> an = Degeneracy.analyse(e.getValue(), opts, be);
                Object clean = ExperimentRunner.sanitize(an);
                conds.put(e.getKey(), matrices ? clean : strip(clean));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs_dir", dir.toString());
        out.put("networks", n);
        out.put("corrupt", corrupt);
        out.put("options", opts);
        out.put("conditions", conds);
        return out;
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
