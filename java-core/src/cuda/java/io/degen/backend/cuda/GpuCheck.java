package io.degen.backend.cuda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.degen.backend.Backend;
import io.degen.backend.BackendCrossCheck;
import io.degen.backend.Backends;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.config.ModelConfig;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.task.FlipFlopTask;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.train.Adam;
import io.degen.train.Regularisers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Self-contained GPU check (tests/gpu/check.sh runs it): (1) every Backend op on the GPU against the
 * Java engine, (2) a small flip-flop ensemble trained on CPU (JavaBackend, float32) and GPU from the
 * same seeds and data, comparing the loss of every step and the final weights, (3) throughput of a
 * large ensemble on the GPU and of the CPU engine on 2 threads. Prints one JSON line; exit 0 when
 * (1) and (2) pass, 1 when they do not, 2 when the GPU engine is unavailable.
 *
 * <p>Options: --ensemble 1000 --threads 8 --steps 2 --hidden 128 --batch 64 --time 100
 * --check-steps 20 --skip-throughput; --engine java runs the whole harness with the Java engine in
 * place of the GPU (a dry run for machines without one).
 */
public final class GpuCheck {
    private GpuCheck() { }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i].replaceFirst("^--", "");
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) a.put(k, argv[++i]); else a.put(k, "true");
        }
        int ensemble = Integer.parseInt(a.getOrDefault("ensemble", "1000"));
        int threads = Integer.parseInt(a.getOrDefault("threads", String.valueOf(Math.min(8, Runtime.getRuntime().availableProcessors()))));
        int steps = Integer.parseInt(a.getOrDefault("steps", "2"));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", "128"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "64"));
        int time = Integer.parseInt(a.getOrDefault("time", "100"));
        int checkSteps = Integer.parseInt(a.getOrDefault("check-steps", "20"));
        boolean skipThroughput = a.containsKey("skip-throughput");

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("check", "degen-gpu");
        ObjectMapper json = new ObjectMapper();
        Backend gpu;
        boolean dryRun = "java".equals(a.get("engine"));
        try {
            gpu = dryRun ? io.degen.backend.Backends.create("java") : new CudaBackend();
        } catch (Backends.BackendUnavailableException e) {
            out.put("ok", false);
            out.put("unavailable", e.getMessage());
            System.out.println(json.writeValueAsString(out));
            System.exit(2);
            return;
        }
        boolean ok = true;
        try (gpu) {
            out.put("device", gpu instanceof CudaBackend cb ? cb.describe() : "none: --engine java dry run of this harness (no GPU)");
            long t0 = System.nanoTime();

            // (1) every op against the Java engine
            List<BackendCrossCheck.Result> ops = BackendCrossCheck.run(io.degen.backend.Backends.create("java"), gpu);
            List<String> failed = new ArrayList<>();
            double relF = 0, relD = 0;
            for (BackendCrossCheck.Result r : ops) {
                if (!r.ok()) failed.add(r.toString());
                if (r.dtype() == DType.F32) relF = Math.max(relF, r.maxRel()); else relD = Math.max(relD, r.maxRel());
            }
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("compared", ops.size());
            om.put("failed", failed);
            om.put("max_rel_f32", relF);
            om.put("max_rel_f64", relD);
            om.put("ok", failed.isEmpty());
            out.put("ops", om);
            ok &= failed.isEmpty();

            // (2) the same small ensemble on CPU and GPU
            Map<String, Object> tm = trainComparison(gpu, checkSteps);
            out.put("train", tm);
            ok &= (Boolean) tm.get("ok");
            out.put("correctness_s", (System.nanoTime() - t0) / 1e9);

            // (3) throughput
            if (!skipThroughput) {
                try {
                    out.put("throughput", throughput(gpu, ensemble, threads, steps, hidden, batch, time));
                } catch (Throwable e) {
                    out.put("throughput", Map.of("error", String.valueOf(e)));
                }
            }
        } catch (Throwable e) {
            ok = false;
            out.put("error", String.valueOf(e));
            e.printStackTrace();
        }
        out.put("ok", ok);
        System.out.println(json.writeValueAsString(out));
        System.exit(ok ? 0 : 1);
    }

    /** One network on one engine: model, workspace, optimiser. */
    private record Net(RnnModel model, Workspace ws, Adam adam) implements AutoCloseable {
        static Net create(Backend be, ModelConfig mc, Task task, long seed, double lr) {
            RnnModel m = RnnModel.create(be, DType.F32, mc, task.inputSize(), task.outputSize());
            m.initialise(new SplittableRandom(seed));
            return new Net(m, m.workspace(), new Adam(be, DType.F32, m.parameterCount(), lr));
        }

        double step(TrialBatch tb, double l1) {
            double loss = model.lossAndGradients(ws, tb);
            Regularisers.apply(model, 0, l1);
            adam.step(model.params(), model.grads());
            return loss;
        }

        @Override public void close() { adam.close(); ws.close(); model.close(); }
    }

    /**
     * 4 standard flip-flop networks (hidden 64) and 2 muP networks with an L1 penalty, trained for
     * {@code steps} Adam steps on identical data on both engines.
     */
    private static Map<String, Object> trainComparison(Backend gpu, int steps) {
        Task task = new FlipFlopTask(Map.of("channels", 3, "time", 50));
        double lossAbs = 0, lossRel = 0, wAbs = 0, wScale = 0;
        List<List<Double>> cpuCurves = new ArrayList<>(), gpuCurves = new ArrayList<>();
        int nets = 0;
        try (io.degen.backend.Backend cpu = io.degen.backend.Backends.create("java")) {
            for (int i = 0; i < 6; i++) {
                boolean mup = i >= 4;
                ModelConfig mc = mup ? ModelConfig.mup(64, 1.0) : ModelConfig.standard(64);
                double lr = 1e-3, l1 = mup ? 1e-4 : 0;
                SplittableRandom data = new SplittableRandom(1000 + i);
                List<Double> cc = new ArrayList<>(), gc = new ArrayList<>();
                try (Net c = Net.create(cpu, mc, task, 42 + i, lr); Net g = Net.create(gpu, mc, task, 42 + i, lr)) {
                    for (int s = 0; s < steps; s++) {
                        TrialBatch tb = task.batch(32, data);
                        double lc = c.step(tb, l1), lg = g.step(tb, l1);
                        cc.add(lc); gc.add(lg);
                        double d = Math.abs(lc - lg);
                        if (!(d <= Double.MAX_VALUE)) d = Double.POSITIVE_INFINITY;
                        lossAbs = Math.max(lossAbs, d);
                        lossRel = Math.max(lossRel, d / Math.max(1e-12, Math.abs(lc)));
                    }
                    double[] wc = cpu.toDoubles(c.model().params()), wg = gpu.toDoubles(g.model().params());
                    for (int k = 0; k < wc.length; k++) {
                        double d = Math.abs(wc[k] - wg[k]);
                        if (!(d <= Double.MAX_VALUE)) d = Double.POSITIVE_INFINITY;
                        wAbs = Math.max(wAbs, d);
                        wScale = Math.max(wScale, Math.abs(wc[k]));
                    }
                }
                cpuCurves.add(cc); gpuCurves.add(gc);
                nets++;
            }
        }
        double wRel = wAbs / Math.max(1e-12, wScale);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("networks", nets);
        m.put("models", "4 standard + 2 mup (l1 1e-4), hidden 64, flipflop 3 channels T 50, batch 32, float32");
        m.put("steps", steps);
        m.put("loss_max_abs_diff", lossAbs);
        m.put("loss_max_rel_diff", lossRel);
        m.put("weights_max_abs_diff", wAbs);
        m.put("weights_max_rel_diff", wRel);
        m.put("loss_tol_rel", 1e-3);
        m.put("weights_tol_abs", 5e-3);
        m.put("cpu_first_last_loss", List.of(cpuCurves.get(0).get(0), cpuCurves.get(0).get(steps - 1)));
        m.put("gpu_first_last_loss", List.of(gpuCurves.get(0).get(0), gpuCurves.get(0).get(steps - 1)));
        m.put("ok", lossRel <= 1e-3 && wAbs <= 5e-3);
        return m;
    }

    /**
     * Wall time per network-step for {@code ensemble} networks over {@code threads} host threads, each
     * thread stepping its networks in turn on its own CUDA stream (no cross-network batching: the
     * model code issues one network's GEMMs at a time). The CPU baseline is the Java engine on 2
     * threads, one network per thread, on this machine's cores.
     */
    private static Map<String, Object> throughput(Backend gpu, int ensemble, int threads, int steps,
                                                  int hidden, int batch, int time) throws Exception {
        Task task = new FlipFlopTask(Map.of("channels", 3, "time", time));
        ModelConfig mc = ModelConfig.standard(hidden);
        double gpuMs = timeEnsemble(gpu, task, mc, ensemble, threads, steps, 1, batch);
        double cpuMs;
        try (io.degen.backend.Backend cpu = io.degen.backend.Backends.create("java")) {
            cpuMs = timeEnsemble(cpu, task, mc, 2, 2, 3, 3, batch);
        }
        double h = hidden, io = 3, tb = (double) batch * time;
        double flops = 2 * tb * (3 * h * h + 2 * io * h + 3 * io * h);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "per-network-sequential: " + threads + " host threads, one CUDA stream and cuBLAS handle each, "
                + "each stepping its networks in turn (no strided-batched GEMM across networks yet)");
        m.put("ensemble", ensemble);
        m.put("threads", threads);
        m.put("hidden", hidden);
        m.put("batch", batch);
        m.put("time", time);
        m.put("timed_steps", steps);
        m.put("gpu_ms_per_network_step", gpuMs);
        m.put("gpu_network_steps_per_s", 1000 / gpuMs);
        m.put("gpu_gflops", flops / (gpuMs * 1e6));
        m.put("cpu2_ms_per_network_step", cpuMs);
        m.put("cpu2_note", "JavaBackend float32, 2 threads x 1 network, on the GPU host's CPU");
        m.put("speedup_vs_cpu2", cpuMs / gpuMs);
        m.put("target_speedup", 50);
        m.put("target_met", cpuMs / gpuMs >= 50);
        return m;
    }

    private static double timeEnsemble(Backend be, Task task, ModelConfig mc, int ensemble, int threads, int steps,
                                       int warm, int batch) throws Exception {
        boolean cuda = be instanceof CudaBackend;
        double[] wall = new double[threads];
        Throwable[] fail = new Throwable[1];
        java.util.concurrent.CyclicBarrier ready = new java.util.concurrent.CyclicBarrier(threads + 1);
        java.util.concurrent.CyclicBarrier done = new java.util.concurrent.CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            final int wi = w;
            final int mine = ensemble / threads + (w < ensemble % threads ? 1 : 0);
            ts[w] = new Thread(() -> {
                List<Net> nets = new ArrayList<>();
                try {
                    SplittableRandom rng = new SplittableRandom(wi);
                    TrialBatch[] data = new TrialBatch[4];
                    for (int i = 0; i < data.length; i++) data[i] = task.batch(batch, rng);
                    for (int n = 0; n < mine; n++) nets.add(Net.create(be, mc, task, wi * 100_000L + n, 1e-3));
                    for (int s = 0; s < warm; s++) for (Net n : nets) n.step(data[s % data.length], 0); // warm-up: JIT, cuBLAS heuristics, lazy module loads
                    if (cuda) ((CudaBackend) be).synchronize();
                    ready.await();
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) for (Net n : nets) n.step(data[s % data.length], 0);
                    if (cuda) ((CudaBackend) be).synchronize();
                    wall[wi] = (System.nanoTime() - t0) / 1e6;
                    done.await();
                } catch (Throwable e) {
                    if (fail[0] == null || fail[0] instanceof java.util.concurrent.BrokenBarrierException) fail[0] = e;
                    ready.reset(); done.reset();
                } finally {
                    for (Net n : nets) n.close();
                }
            });
        }
        for (Thread t : ts) t.start();
        try {
            ready.await();
            done.await();
        } catch (java.util.concurrent.BrokenBarrierException e) {
            // a worker failed; reported below
        }
        for (Thread t : ts) t.join();
        if (fail[0] != null) throw new IllegalStateException("ensemble timing failed: " + fail[0], fail[0]);
        double max = 0;
        for (double w : wall) max = Math.max(max, w);
        return max / ((double) steps * ensemble);
    }
}
