package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.train.CostModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training cost against hidden size or trial length: each value is a {@code bench train} point
 * (one network per thread) with that knob changed and every other option as given.
 */
public final class TrainSweep implements Sweep {
    public static final List<String> COLUMNS = List.of("ms_per_step", "cpu_ms_per_step", "gflops", "cpu_gflops", "mflop_per_step");

    private final String what;
    private final Map<Integer, RunConfig> configs = new LinkedHashMap<>();
    private final String backendName;
    private final int threads, steps, repeats;
    private String backendUsed;

    /**
     * {@code base} with {@code what} (hidden or time) set to each of {@code values}, timed on
     * {@code backendName} (null: the default engine). Every value's configuration is built now, so a
     * bad one fails (IllegalArgumentException) before any timing.
     */
    public TrainSweep(String what, RunConfig base, List<Integer> values, String backendName, int threads, int steps, int repeats) {
        if (!what.equals("hidden") && !what.equals("time")) throw new IllegalArgumentException("a training sweep varies hidden or time, got '" + what + "'");
        this.what = what;
        this.backendName = backendName;
        this.threads = threads;
        this.steps = steps;
        this.repeats = repeats;
        for (int v : values) configs.put(v, at(base, v));
    }

    private RunConfig at(RunConfig base, int v) {
        if (what.equals("hidden")) {
            ModelConfig m = base.model();
            return new RunConfig(base.taskOptions(), new ModelConfig(m.type(), v, m.gamma(), m.tau()), base.train(), 0);
        }
        Map<String, Object> task = new LinkedHashMap<>(base.taskOptions());
        task.put("time", v);
        return new RunConfig(task, base.model(), base.train(), 0);
    }

    @Override public String x() { return what; }

    @Override public String symbol() { return what.equals("hidden") ? "H" : "T"; }

    @Override public String title() {
        RunConfig any = configs.values().iterator().next();
        String fixed = what.equals("hidden") ? "T = " + any.task().trialLength() : "H = " + any.model().hidden();
        return String.format(Locale.ROOT, "Training step vs %s (%s, batch %d, %s, %s, %d thread%s)", what.equals("hidden") ? "hidden size" : "trial length",
                any.taskOptions().get("type"), any.train().batch(), fixed, backendUsed, threads, threads == 1 ? "" : "s");
    }

    @Override public String xTitle() { return what.equals("hidden") ? "hidden units H" : "trial length T (steps)"; }

    @Override public String yTitle() { return "ms per network-step"; }

    @Override public List<String> plotted() { return List.of("cpu_ms_per_step", "ms_per_step"); }

    @Override public SweepTable measure(List<Integer> values, double warmupSeconds) throws Exception {
        try (Backend be = Backends.create(backendName)) {
            backendUsed = be.name();
            SweepTable.Point point = v -> {
                RunConfig run = configs.get(v);
                // as many untimed steps as timed ones first: each point's new models start on cold memory
                TrainStepTimer.StepCost c = TrainStepTimer.measure(be, run, steps, repeats, steps, threads, threads, false);
                double flops = CostModel.flopsPerStep(run);
                return new double[] {c.wallMs(), c.cpuMs(), flops / (c.wallMs() * 1e6), flops / (c.cpuMs() * 1e6), flops / 1e6};
            };
            SweepTable.warmUp(point, values.get(0), warmupSeconds);
            return SweepTable.measure(what, COLUMNS, values, point);
        }
    }

    @Override public Map<String, Object> summary(SweepTable t) {
        RunConfig any = configs.values().iterator().next();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backendUsed);
        m.put("threads", threads);
        m.put("task", any.taskOptions().get("type"));
        m.put("batch", any.train().batch());
        if (what.equals("hidden")) m.put("time", any.task().trialLength()); else m.put("hidden", any.model().hidden());
        m.put("dtype", any.train().dtype().name().toLowerCase(Locale.ROOT));
        m.put("steps", steps);
        m.put("repeats", repeats);
        return m;
    }
}
