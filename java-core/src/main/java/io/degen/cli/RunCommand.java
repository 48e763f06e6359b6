package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.plan.Plan;
import io.degen.plan.SpecReaders;
import io.degen.run.ExperimentRunner;
import io.degen.store.StoreLock;

import java.nio.file.Path;

/**
 * {@code degen run SPEC --out DIR [--workers N] [--ensemble K] [--ensemble K] [--profile P] [--backend B] [--shard I/K]}: trains an
 * experiment into a store directory and analyses it; resumable. {@code --shard I/K} (I from 0 to
 * K-1) trains only shard I of {@link Plan#shards}; metrics follow once every run is stored, and then
 * the report (DIR/report/index.html) is written too unless {@code --no-report}.
 */
public final class RunCommand implements Command {
    @Override public String name() { return "run"; }

    @Override public String help() { return "train, analyse and report an experiment: run SPEC --out DIR [--workers N] [--ensemble K] [--profile P] [--backend B] [--shard I/K] [--no-report]"; }

    @Override public java.util.Set<String> flags() { return java.util.Set.of("no-report"); }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        Path out = a.path("out");
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        int ensemble = a.integer("ensemble", 1, 1, 4096);
        String profile = a.string("profile", null);
        String backend = a.string("backend", null);
        String shard = a.string("shard", null);
        boolean report = !a.flag("no-report");
        a.finish();
        int index = 0, count = 1;
        if (shard != null) {
            String[] p = shard.split("/");
            try {
                if (p.length != 2) throw new NumberFormatException();
                index = Integer.parseInt(p[0].trim());
                count = Integer.parseInt(p[1].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("option --shard must look like I/K (e.g. 0/4), got '" + shard + "'");
            }
            if (count < 1 || index < 0 || index >= count) throw new UsageException("option --shard I/K needs 0 <= I < K, got '" + shard + "'");
        }
        Plan plan = SpecReaders.load(spec, profile).compile();
        try (Backend be = Backends.create(backend)) {
            ExperimentRunner.Result r = ExperimentRunner.run(plan, out, workers, ensemble, be, System.err, index, count);
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(r.toMap());
            if (report && r.metricsComputed()) {
                m.put("report", io.degen.report.ReportWriter.write(out).get("report"));
                System.err.println("report: " + m.get("report"));
            }
            return m;
        } catch (StoreLock.LockedException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
