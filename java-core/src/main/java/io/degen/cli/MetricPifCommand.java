package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.metrics.weights.PifMetric;
import io.degen.metrics.weights.PifResult;
import io.degen.util.Mat;
import io.degen.util.MatrixFile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code degen metric pif W1.npy W2.npy [--normalize] [--restarts 4] [--seed 0] [--threads 1] [--max-iter 100] [--tol 0.005]}: the
 * permutation-invariant Frobenius distance between two square weight matrices.
 * Prints {@code {"distance": d, "permutation": [...]}} where {@code W2[perm][:, perm]} is the
 * relabelling of W2 that best matches W1.
 */
public final class MetricPifCommand implements Command {
    @Override public String name() { return "metric pif"; }

    @Override public String help() {
        return "permutation-invariant Frobenius distance: W1.npy W2.npy [--normalize] [--restarts 4] [--seed 0] [--threads 1] [--max-iter 100] [--tol 0.005]";
    }

    @Override public Set<String> flags() { return Set.of("normalize"); }

    @Override
    public Object run(Args args) throws Exception {
        if (args.positional().size() != 2) {
            throw new UsageException("expected two weight files W1.npy W2.npy, got " + args.positional().size() + " argument(s)");
        }
        Path p1 = Path.of(args.positional(0, "W1.npy")), p2 = Path.of(args.positional(1, "W2.npy"));
        boolean normalize = args.flag("normalize");
        int restarts = args.integer("restarts", 4, 1, 1000);
        int seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
        int threads = args.integer("threads", 1, 1, 256);
        PifMetric.Options d = PifMetric.Options.defaults();
        int maxIter = args.integer("max-iter", d.maxIter(), 1, 100000);
        double tol = args.number("tol", d.tol(), 0, 1e6);
        String engine = args.string("backend", "java");
        args.finish();
        Mat w1, w2;
        try {
            w1 = MatrixFile.read(p1, "W1");
            w2 = MatrixFile.read(p2, "W2");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PifResult r;
        try (Backend be = Backends.create(engine);
             PifMetric pif = new PifMetric(d.withMaxIter(maxIter).withTol(tol).withRestarts(restarts).withSeed(seed)
                    .withNormalize(normalize).withThreads(threads), be)) {
            r = pif.compute(w1, w2);
        } catch (IllegalArgumentException e) {
            throw new UsageException("W1 = " + p1 + ", W2 = " + p2 + ": " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("distance", r.distance());
        out.put("permutation", r.permutation());
        return out;
    }
}
