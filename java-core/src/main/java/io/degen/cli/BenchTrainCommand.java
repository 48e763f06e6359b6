package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.plan.RunConfig;
import io.degen.task.TrialBatch;
import io.degen.train.Adam;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code degen bench train}: milliseconds per Adam step of one network (median of repeats after
 * warm-up), with the same work as shared/peers/torch_train.py: forward, masked MSE, BPTT and Adam on
 * pre-generated batches so data generation is not timed.
 */
public final class BenchTrainCommand implements Command {
    @Override public String name() { return "bench train"; }

    @Override public String help() { return "time one training step: --task flipflop --channels 3 --hidden 128 --batch 64 --time 100 --steps 100 --threads 1"; }

    @Override public Set<String> flags() { return RunOptions.FLAGS; }

    @Override public Object run(Args a) throws Exception {
        int steps = a.integer("steps", 100, 1, 1_000_000);
        int threads = a.integer("threads", 1, 1, 1024);
        int repeats = a.integer("repeats", 5, 1, 1000);
        String backendName = a.string("backend", null);
        RunConfig run = RunOptions.run(a, 0);
        a.finish();
        try (Backend be = Backends.create(backendName)) {
            int k = threads;
            double[][] perRepeat = new double[repeats][];
            // One independent network per thread, as the trainer runs them.
            Thread[] ts = new Thread[k];
            double[][] medians = new double[k][];
            Throwable[] fail = new Throwable[1];
            for (int w = 0; w < k; w++) {
                final int wi = w;
                ts[w] = new Thread(() -> {
                    try { medians[wi] = time(be, run, steps, repeats, wi); }
                    catch (Throwable e) { fail[0] = e; }
                });
                ts[w].start();
            }
            for (Thread t : ts) t.join();
            if (fail[0] != null) throw new IllegalStateException(fail[0]);
            double[] all = Arrays.stream(medians).mapToDouble(m -> m[0]).toArray();
            double ms = Arrays.stream(all).average().orElse(Double.NaN);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ms_per_step", ms);
            m.put("ms_per_step_per_network", ms / 1.0);
            m.put("networks_per_second_step", k / ms * 1000);
            m.put("threads", k);
            m.put("hidden", run.model().hidden());
            m.put("batch", run.train().batch());
            m.put("time", run.task().trialLength());
            m.put("backend", be.name());
            m.put("dtype", run.train().dtype().name().toLowerCase());
            return m;
        }
    }

    private static double[] time(Backend be, RunConfig run, int steps, int repeats, int worker) {
        var task = run.task();
        SplittableRandom rng = new SplittableRandom(worker);
        TrialBatch[] data = new TrialBatch[8];
        for (int i = 0; i < data.length; i++) data[i] = task.batch(run.train().batch(), rng);
        try (RnnModel model = RnnModel.create(be, run.train().dtype(), run.model(), task.inputSize(), task.outputSize());
             Workspace ws = model.workspace();
             Adam adam = new Adam(be, run.train().dtype(), model.parameterCount(), run.train().lr())) {
            model.initialise(rng);
            for (int s = 0; s < Math.max(20, steps / 5); s++) { model.lossAndGradients(ws, data[s % 8]); adam.step(model.params(), model.grads()); }
            double[] per = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) { model.lossAndGradients(ws, data[s % 8]); adam.step(model.params(), model.grads()); }
                per[r] = (System.nanoTime() - t0) / 1e6 / steps;
            }
            Arrays.sort(per);
            return new double[] {per[repeats / 2]};
        }
    }
}
