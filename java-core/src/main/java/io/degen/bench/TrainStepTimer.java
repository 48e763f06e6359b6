package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.config.RunConfig;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.task.TrialBatch;
import io.degen.train.Adam;
import io.degen.util.Median;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Milliseconds per training step of one network, with the same work as shared/peers/torch_train.py:
 * forward, masked MSE, BPTT and Adam on pre-generated batches so data generation is not timed.
 */
final class TrainStepTimer {
    private TrainStepTimer() { }

    /** Milliseconds per network-step: wall clock, and CPU time of the stepping threads (less inflated on a shared machine). */
    record StepCost(double wallMs, double cpuMs) { }

    /**
     * K = {@code ensemble} independent networks over {@code threads} threads, each thread stepping its
     * networks in lockstep (grouped recurrent GEMMs, as {@code train --ensemble} runs them) or one after
     * another: wall time / (steps * K) is the cost per network-step. {@code warmup} untimed steps per
     * network come first.
     */
    static StepCost measure(Backend be, RunConfig run, int steps, int repeats, int warmup, int threads, int ensemble,
                            boolean lockstep) throws InterruptedException {
        double[][] perThread = new double[threads][];
        Throwable[] fail = new Throwable[1];
        Thread[] ts = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            final int wi = w;
            int mine = ensemble / threads + (w < ensemble % threads ? 1 : 0);
            ts[w] = new Thread(() -> {
                try { perThread[wi] = time(be, run, steps, repeats, warmup, wi, mine, lockstep); }
                catch (Throwable e) { fail[0] = e; }
            });
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        if (fail[0] != null) throw new IllegalStateException(fail[0]);
        double wall = 0, cpu = 0;
        for (double[] p : perThread) {
            wall = Math.max(wall, p[0]);
            cpu += p[1];
        }
        return new StepCost(wall / ensemble, cpu / ensemble);
    }

    /** Medians over repeats of the wall and thread-CPU milliseconds for one step of every one of {@code k} networks. */
    private static double[] time(Backend be, RunConfig run, int steps, int repeats, int warm, int worker, int k, boolean lockstep) {
        var task = run.task();
        SplittableRandom rng = new SplittableRandom(worker);
        TrialBatch[] data = new TrialBatch[8];
        for (int i = 0; i < data.length; i++) data[i] = task.batch(run.train().batch(), rng);
        RnnModel[] models = new RnnModel[k];
        Workspace[] wss = new Workspace[k];
        Adam[] adams = new Adam[k];
        try {
            for (int n = 0; n < k; n++) {
                models[n] = RnnModel.create(be, run.train().dtype(), run.model(), task.inputSize(), task.outputSize());
                models[n].initialise(rng);
                wss[n] = models[n].workspace();
                adams[n] = new Adam(be, run.train().dtype(), models[n].parameterCount(), run.train().lr());
            }
            TrialBatch[] batches = new TrialBatch[k];
            for (int s = 0; s < warm; s++) step(models, wss, adams, batches, data[s % 8], k, lockstep);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            double[] per = new double[repeats], cpu = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) step(models, wss, adams, batches, data[s % 8], k, lockstep);
                per[r] = (System.nanoTime() - t0) / 1e6 / steps;
                cpu[r] = mx.isCurrentThreadCpuTimeSupported() ? (mx.getCurrentThreadCpuTime() - c0) / 1e6 / steps : Double.NaN;
            }
            return new double[] {Median.of(per), Median.of(cpu)};
        } finally {
            for (int n = 0; n < k; n++) {
                if (adams[n] != null) adams[n].close();
                if (wss[n] != null) wss[n].close();
                if (models[n] != null) models[n].close();
            }
        }
    }

    private static void step(RnnModel[] ms, Workspace[] wss, Adam[] adams, TrialBatch[] batches, TrialBatch tb, int k, boolean lockstep) {
        if (lockstep) {
            Arrays.fill(batches, tb);
            RnnModel.lossAndGradientsAll(ms, wss, batches, k);
        } else {
            for (int n = 0; n < k; n++) ms[n].lossAndGradients(wss[n], tb);
        }
        for (int n = 0; n < k; n++) adams[n].step(ms[n].params(), ms[n].grads());
    }
}
