package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.metrics.Degeneracy;
import io.degen.config.DegeneracyOptions;
import io.degen.metrics.PairBlocks;
import io.degen.plan.Plan;
import io.degen.config.RunConfig;
import io.degen.plan.SpecReaders;
import io.degen.store.RunArtifacts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code degen metric-block SPEC --out DIR --condition CID --level dynamics|weights --block I/K}: computes
 * block I of K of one condition's pairwise matrix ({@link PairBlocks}) from the networks in
 * {@code DIR/runs} and writes {@code DIR/blocks/<CID>/<level>-<I>-of-<K>.json}; a block whose file
 * already verifies is skipped. {@code degen run SPEC --out DIR} then assembles the matrix from a
 * complete set. Takes no lock (block files are published atomically). Guide: docs/cluster.md.
 */
public final class MetricBlockCommand implements Command {
    @Override public String name() { return "metric-block"; }

    @Override public String help() {
        return "compute one block of a condition's pairwise matrix: metric-block SPEC --out DIR --condition CID "
                + "--level dynamics|weights --block I/K [--profile P] [--workers N] [--backend B]";
    }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)"));
        Path out = a.path("out");
        String cid = a.required("condition");
        String level = a.required("level");
        String blockOpt = a.required("block");
        String profile = a.string("profile", null);
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        String backend = a.string("backend", null);
        a.finish();
        if (!PairBlocks.LEVELS.contains(level)) throw new UsageException("option --level must be one of dynamics|weights, got '" + level + "'");
        int index, count;
        String[] p = blockOpt.split("/");
        try {
            if (p.length != 2) throw new NumberFormatException();
            index = Integer.parseInt(p[0].trim());
            count = Integer.parseInt(p[1].trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --block must look like I/K (e.g. 0/4), got '" + blockOpt + "'");
        }
        if (count < 1 || index < 0 || index >= count) throw new UsageException("option --block I/K needs 0 <= I < K, got '" + blockOpt + "'");
        Plan plan = SpecReaders.load(spec, profile).compile();
        Plan.Condition cond = null;
        for (Plan.Condition c : plan.conditions()) if (c.id().equals(cid)) cond = c;
        if (cond == null) throw new UsageException("condition '" + cid + "' is not in the plan of " + spec);
        Path runsDir = out.resolve("runs");
        List<RunArtifacts.Stored> runs = new ArrayList<>();
        for (RunConfig r : cond.runs()) {
            Path d = RunArtifacts.dirFor(runsDir, r.id());
            if (!Files.isDirectory(d)) throw new UsageException("network " + r.id() + " of condition " + cid + " is not in " + runsDir
                    + " (train and merge first: degen merge " + out + ")");
            try { runs.add(RunArtifacts.read(d)); }
            catch (java.io.IOException | RuntimeException e) {
                throw new UsageException("network " + r.id() + " in " + runsDir + " does not verify (" + e.getMessage()
                        + "); run degen run SPEC --out " + out + " to retrain it");
            }
        }
        DegeneracyOptions opts = plan.degeneracyOptions().withThreads(workers);
        Path blocksDir = PairBlocks.dir(out, cid);
        Path file = PairBlocks.file(blocksDir, level, index, count);
        List<String> ids = new ArrayList<>();
        for (RunArtifacts.Stored s : runs) if ("converged".equals(s.status())) ids.add(s.id());
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("file", file.toString());
        res.put("condition_id", cid);
        res.put("level", level);
        res.put("block", index);
        res.put("blocks", count);
        res.put("networks", ids.size());
        res.put("pairs", PairBlocks.block(ids.size(), index, count).size());
        if (PairBlocks.valid(blocksDir, level, index, count, ids, opts)) {
            System.err.printf("%s exists and verifies: skipped%n", file);
            res.put("skipped", true);
            return res;
        }
        if (Files.exists(file)) System.err.printf("%s does not verify: computing it again%n", file);
        long t0 = System.nanoTime();
        double[] d;
        try (Backend be = Backends.create(backend)) {
            Degeneracy.LevelInputs in = Degeneracy.levelInputs(runs, opts, be, level.equals("dynamics"));
            d = level.equals("dynamics") ? PairBlocks.dynamics(in.trajectories(), opts, index, count)
                    : PairBlocks.weights(in.recurrent(), opts, index, count);
        }
        PairBlocks.write(blocksDir, cid, level, index, count, ids, opts, d);
        res.put("skipped", false);
        res.put("seconds", (System.nanoTime() - t0) / 1e9);
        return res;
    }
}
