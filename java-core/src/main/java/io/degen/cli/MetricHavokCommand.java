package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.dsa.HavokDmd;
import io.degen.metrics.dsa.Operator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code degen metric havok X.npy [--n-delays 1] [--delay-interval 1] [--rank full] [--ridge 0]
 * [--emit-operator A.npy]}: fits the HAVOK operator A_v of trajectories X (trials, time, units)
 * and prints its eigenvalues (sorted by decreasing modulus) and rank.
 */
public final class MetricHavokCommand implements Command {
    @Override public String name() { return "metric havok"; }

    @Override public String help() {
        return "HAVOK operator of X.npy (trials,time,units): --n-delays 1 --delay-interval 1 --rank full --ridge 0 "
                + "[--emit-operator A.npy]; prints eigenvalues and rank";
    }

    @Override public Object run(Args args) throws Exception {
        String file = args.positional(0, "X.npy (trajectories: trials, time, units)");
        if (args.positional().size() > 1) throw new UsageException("metric havok takes one file, got " + args.positional().size());
        DsaParams p = MetricDsaCommand.params(args, false);
        String emit = args.string("emit-operator", null);
        String engine = args.string("backend", "java");
        args.finish();
        NdArray x = Npy.read(Path.of(file));
        Operator op;
        List<double[]> ev;
        try (Backend be = Backends.create(engine)) {
            op = HavokDmd.fit(be, x, p, file);
            ev = new ArrayList<>(Arrays.asList(op.eigenvalues(be)));
        }
        if (emit != null) Npy.write(Path.of(emit), op.a().toNdArray());
        ev.sort(Comparator.comparingDouble((double[] e) -> -Math.hypot(e[0], e[1]))
                .thenComparingDouble(e -> -e[0]).thenComparingDouble(e -> e[1]));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eigenvalues", ev);
        out.put("rank", op.rank());
        return out;
    }
}
