package io.degen.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Times DSA on the networks of a workload: the operator fits, the pairwise matrix and their sum. */
public final class DsaBench {
    private DsaBench() { }

    public static Map<String, Object> run(DsaBenchOptions o) throws Exception {
        DsaWorkload.Timing t = o.workload().measure(o.networks());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", t.fitSeconds() + t.matrixSeconds());
        out.put("fit_seconds", t.fitSeconds());
        out.put("matrix_seconds", t.matrixSeconds());
        out.put("generate_seconds", t.generateSeconds());
        out.put("pairs", t.pairs());
        out.put("ms_per_pair", 1e3 * t.matrixSeconds() / t.pairs());
        out.put("threads", o.workload().threads());
        out.put("backend", t.backend());
        // process CPU time: on a shared machine wall time overstates the cost; -1 where unavailable
        out.put("fit_cpu_seconds", t.fitCpuSeconds());
        out.put("matrix_cpu_seconds", t.matrixCpuSeconds());
        out.put("cpu_ms_per_pair", t.matrixCpuSeconds() < 0 ? -1 : 1e3 * t.matrixCpuSeconds() / t.pairs());
        out.put("mean_distance", t.meanDistance());
        out.put("machine", Machine.current().asMap());
        return out;
    }
}
