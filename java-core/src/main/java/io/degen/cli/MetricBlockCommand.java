package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.Level;
import io.degen.pipeline.Experiment;

import java.nio.file.Path;

/**
 * {@code degen metric-block}: computes one block of one condition's pairwise matrix and writes its
 * block file ({@link Experiment#metricBlock}); {@code degen measure DIR} then assembles the matrix
 * from a complete set. Guide: docs/cluster.md.
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
        String level = a.choice("level", null, "dynamics", "weights");
        int[] block = a.part("block");
        if (block == null) throw new UsageException("missing required option --block");
        String profile = a.string("profile", null);
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        String backend = a.string("backend", null);
        a.finish();
        try (Backend be = Backends.create(backend)) {
            return Experiment.metricBlock(Experiment.plan(spec, profile), out, cid, Level.parse(level), block[0], block[1], workers, be, a.err());
        }
    }
}
