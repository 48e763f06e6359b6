package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.dsa.Operator;
import io.degen.metrics.dsa.VectorFieldProcrustes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code degen metric dsa X.npy Y.npy [--n-delays 1] [--delay-interval 1] [--rank full] [--ridge 0]
 * [--score angular|euclidean] [--seed 0] [--emit-transform C.npy]}: the DSA distance between two
 * systems. With --emit-transform, the optimal orthogonal C is written to C.npy and the two
 * unit-Frobenius-normalised operators to C.A.npy and C.B.npy (the ".npy" suffix of the given path
 * replaced by ".A.npy" / ".B.npy"), so that |A - C B C^T|_F is the euclidean score and
 * arccos(tr(A^T C B C^T)) the angular one.
 */
public final class MetricDsaCommand implements Command {
    @Override public String name() { return "metric dsa"; }

    @Override public String help() {
        return "DSA distance of X.npy and Y.npy: --n-delays 1 --delay-interval 1 --rank full --ridge 0 "
                + "--score angular|euclidean --seed 0 [--emit-transform C.npy: also writes C.A.npy, C.B.npy]";
    }

    @Override public Object run(Args args) throws Exception {
        String fx = args.positional(0, "X.npy (first system: trials, time, units)");
        String fy = args.positional(1, "Y.npy (second system: trials, time, units)");
        if (args.positional().size() > 2) throw new UsageException("metric dsa takes two files, got " + args.positional().size());
        DsaParams p = params(args, true);
        String emit = args.string("emit-transform", null);
        String engine = args.string("backend", "java");
        args.finish();
        NdArray x = Npy.read(Path.of(fx)), y = Npy.read(Path.of(fy));
        VectorFieldProcrustes.Result r;
        try (Backend be = Backends.create(engine)) {
            DsaMetric m = new DsaMetric(p, be);
            r = m.align(m.fit(x, fx), m.fit(y, fy));
        }
        if (emit != null) {
            Path c = Path.of(emit);
            Npy.write(c, r.c().toNdArray());
            Npy.write(sibling(c, "A"), r.a().toNdArray());
            Npy.write(sibling(c, "B"), r.b().toNdArray());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("distance", r.score(p.score()));
        out.put("score", p.score().label());
        return out;
    }

    /** C.npy -> C.A.npy (the ".npy" suffix, if any, replaced by "." + tag + ".npy"). */
    static Path sibling(Path c, String tag) {
        String name = c.getFileName().toString();
        String base = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return c.resolveSibling(base + "." + tag + ".npy");
    }

    /** The DSA options shared by the metric commands; {@code comparison} adds --score and --seed. */
    static DsaParams params(Args args, boolean comparison) {
        int nDelays = args.integer("n-delays", 1, 1, 1_000_000);
        int interval = args.integer("delay-interval", 1, 1, 1_000_000);
        String rankText = args.string("rank", "full").trim();
        int rank;
        if (rankText.equals("full")) rank = DsaParams.FULL_RANK;
        else {
            try { rank = Integer.parseInt(rankText); }
            catch (NumberFormatException e) { throw new UsageException("option --rank must be a positive integer or 'full', got '" + rankText + "'"); }
            if (rank < 1) throw new UsageException("option --rank must be a positive integer or 'full', got " + rank);
        }
        double ridge = args.number("ridge", 0, 0, Double.MAX_VALUE);
        DsaParams.Score score = DsaParams.Score.ANGULAR;
        long seed = 0;
        if (comparison) {
            score = DsaParams.Score.parse(args.choice("score", "angular", "angular", "euclidean"));
            seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
        }
        return new DsaParams(nDelays, interval, rank, ridge, score, seed, DsaParams.DEFAULT_RANDOM_STARTS);
    }
}
