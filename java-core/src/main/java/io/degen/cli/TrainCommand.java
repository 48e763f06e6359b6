package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.RunConfig;
import io.degen.run.TrainingPool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code degen train}: trains networks for a list of seeds and writes one run directory each. */
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
            System.err.printf("training %d network(s) of %s on backend %s with %d worker(s) into %s%n", runs.size(),
                    runs.get(0).task().type(), be.name(), workers, out);
            var outcomes = new TrainingPool(be, workers, ensemble, System.err).train(runs, out.resolve("runs"), null);
            return summary(be.name(), out, outcomes);
        }
    }

    static Map<String, Object> summary(String backend, Path out, List<TrainingPool.Outcome> outcomes) throws java.io.IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        int conv = 0, notConv = 0, div = 0;
        List<Double> epochs = new ArrayList<>(), walls = new ArrayList<>();
        for (var o : outcomes) {
            var st = io.degen.store.RunArtifacts.read(o.dir());
            var rec = st.record();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", st.id());
            r.put("seed", st.config().seed());
            r.put("status", st.status());
            r.put("epochs", rec.get("epochs").asInt());
            r.put("final_loss", rec.get("final_loss").asDouble());
            r.put("wall_seconds", rec.get("wall_seconds").asDouble());
            r.put("skipped", o.skipped());
            rows.add(r);
            switch (st.status()) {
                case "converged" -> conv++;
                case "diverged" -> div++;
                default -> notConv++;
            }
            epochs.add((double) rec.get("epochs").asInt());
            walls.add(rec.get("wall_seconds").asDouble());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("out", out.toString());
        m.put("networks", rows.size());
        m.put("converged", conv);
        m.put("not_converged", notConv);
        m.put("diverged", div);
        m.put("median_epochs", median(epochs));
        m.put("median_wall_seconds", median(walls));
        m.put("runs", rows);
        return m;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }
}
