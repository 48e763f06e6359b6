package io.degen.cli;

import io.degen.statistics.NetworkStats;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.metrics.Pairwise;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.dsa.Operator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code degen metric dsa-matrix X1.npy X2.npy ... [DSA options] [--threads N]}: fits one HAVOK
 * operator per system and prints the symmetric DSA distance matrix and the mean off-diagonal distance.
 */
public final class MetricDsaMatrixCommand implements Command {
    @Override public String name() { return "metric dsa-matrix"; }

    @Override public String help() {
        return "DSA distance matrix of X1.npy X2.npy ...: options of 'metric dsa' plus --threads (default: all cores)";
    }

    @Override public Object run(Args args) throws Exception {
        List<String> files = args.positionals();
        if (files.size() < 2) throw new UsageException("metric dsa-matrix needs at least two .npy files, got " + files.size());
        DsaParams p = MetricDsaCommand.params(args, true);
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 4096);
        String engine = args.string("backend", "java");
        args.finish();
        List<NdArray> xs = new ArrayList<>();
        for (String f : files) xs.add(Npy.read(Path.of(f)));
        double[][] d;
        try (Backend be = Backends.create(engine)) {
            DsaMetric m = new DsaMetric(p, be);
            args.err().println("dsa-matrix: fitting " + files.size() + " HAVOK operators on " + threads + " threads");
            List<Operator> fitted = m.fitAll(xs, files, threads);
            int pairs = files.size() * (files.size() - 1) / 2;
            args.err().println("dsa-matrix: comparing " + pairs + " pairs");
            d = Pairwise.matrix(fitted, m, threads);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("matrix", d);
        out.put("mean", NetworkStats.pairMean(d));
        return out;
    }
}
