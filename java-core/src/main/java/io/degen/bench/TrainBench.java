package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.RunConfig;
import io.degen.train.CostModel;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Milliseconds per Adam step of one network (median of repeats after warm-up) and the rate it implies. */
public final class TrainBench {
    private TrainBench() { }

    /** The step cost, its GFLOP/s by the cost model's count, and the settings it was measured with. */
    public static Map<String, Object> run(TrainBenchOptions o) throws InterruptedException {
        RunConfig run = o.run();
        try (Backend be = Backends.create(o.backend())) {
            int warmup = Math.max(20, o.steps() / 5);
            System.err.printf(Locale.ROOT, "bench train: %d network(s) of %d units on %s, %d warm-up steps then %d x %d timed steps (the median is reported)%n",
                    o.ensemble(), run.model().hidden(), be.name(), warmup, o.repeats(), o.steps());
            TrainStepTimer.StepCost cost = TrainStepTimer.measure(be, run, o.steps(), o.repeats(), warmup, o.threads(),
                    o.ensemble(), o.lockstep());
            double msPerNetworkStep = cost.wallMs();
            double flops = CostModel.flopsPerStep(run);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ms_per_step", msPerNetworkStep);
            if (Double.isFinite(cost.cpuMs())) m.put("cpu_ms_per_step", cost.cpuMs());
            m.put("gflops", flops / (msPerNetworkStep * 1e6));
            m.put("mflop_per_step", flops / 1e6);
            m.put("threads", o.threads());
            m.put("ensemble", o.ensemble());
            m.put("lockstep", o.lockstep());
            m.put("hidden", run.model().hidden());
            m.put("batch", run.train().batch());
            m.put("time", run.task().trialLength());
            m.put("backend", be.name());
            m.put("dtype", run.train().dtype().name().toLowerCase(Locale.ROOT));
            m.put("machine", Machine.current().asMap());
            return m;
        }
    }
}
