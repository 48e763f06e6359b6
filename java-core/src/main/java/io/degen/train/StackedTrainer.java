package io.degen.train;

import io.degen.backend.Backend;
import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;
import io.degen.io.NdArray;
import io.degen.model.Cohort;
import io.degen.model.RnnModel;
import io.degen.task.Task;
import io.degen.task.TrialBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the seeds of one condition as one stacked {@link Cohort}: the paper's stopping rule per
 * network as in {@link Trainer}, with each seed's own initialisation and trial stream, but every step
 * of all networks is one computation and the losses are read from the engine once per epoch.
 *
 * <p>What differs from the grouped training, on purpose: a network that finishes stays in the stack at
 * learning rate 0 until half the stack has finished, when the stack is rebuilt from the networks still
 * training ({@link Cohort#keep}); a non-finite loss is seen at the end of its epoch, and a diverged
 * network keeps the weights it had when that epoch began. Otherwise each network's numbers equal its
 * training alone to rounding ({@code StackedTrainerTest}).
 */
public final class StackedTrainer {
    private final Backend be;

    public StackedTrainer(Backend be) { this.be = be; }

    /** Why these runs cannot train as a stack (then they train grouped), or null. */
    public static String unsupported(RunConfig run) {
        if (!run.model().type().equals("standard")) return "model.type " + run.model().type() + " (stacked: standard only)";
        if (StoppingRule.watchesTaskOutputsOnly(run)) return "a stopping rule on the task's own outputs beside auxiliary ones";
        return null;
    }

    /** As {@link Trainer#train(List, List, Trainer.Finished)}; the runs must form one condition that {@link #unsupported} accepts. */
    public List<TrainResult> train(List<RunConfig> runs, List<Trainer.Listener> listeners, Trainer.Finished finished) {
        Trainer.requireOneCondition(runs, listeners);
        RunConfig first = runs.get(0);
        String why = unsupported(first);
        if (why != null) throw new IllegalArgumentException("these runs cannot train as a stacked cohort: " + why);
        long t0 = System.nanoTime();
        Task task = first.task();
        TrainConfig tc = first.train();
        double threshold = StoppingRule.threshold(first);
        int n = runs.size();
        TrainResult[] results = new TrainResult[n];
        SplittableRandom[] data = new SplittableRandom[n];
        EpochProgress[] progress = new EpochProgress[n];
        List<Map<String, NdArray>> init = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RunConfig run = runs.get(i);
            SplittableRandom root = new SplittableRandom(run.seed());
            SplittableRandom initRng = root.split();
            data[i] = root.split();
            try (RnnModel m = RnnModel.create(be, tc.dtype(), run.model(), task.inputSize(), task.outputSize())) {
                m.initialise(initRng);
                init.add(m.exportWeights());
            }
            progress[i] = new EpochProgress(tc, Trainer.effectiveLr(run), false, listeners == null ? null : listeners.get(i));
        }
        // members[j]: which run sits at row j of the stack
        int[] members = new int[n];
        for (int i = 0; i < n; i++) members[i] = i;
        TrialBatch[] tbs = new TrialBatch[n];
        for (int i = 0; i < n; i++) tbs[i] = task.batch(tc.batch(), data[i]);
        Cohort c = new Cohort(be, tc.dtype(), first.model(), task.inputSize(), task.outputSize(), n, tc.batch(), tbs[0].time(), tc.stepsPerEpoch());
        try {
            for (int i = 0; i < n; i++) c.importWeights(i, init.get(i));
            for (int e = 0; e < tc.maxEpochs(); e++) {
                int live = 0;
                for (int j = 0; j < members.length; j++) if (results[members[j]] == null) live++;
                if (live == 0) break;
                if (live <= members.length / 2) {
                    int[] keep = new int[live], rows = new int[live];
                    for (int j = 0, q = 0; j < members.length; j++) if (results[members[j]] == null) { rows[q] = j; keep[q++] = members[j]; }
                    Cohort smaller = c.keep(rows);
                    c.close();
                    c = smaller;
                    members = keep;
                }
                double[] lr = new double[members.length];
                for (int j = 0; j < members.length; j++) lr[j] = progress[members[j]].lr;
                c.setLearningRates(lr);
                c.keepWeights();
                TrialBatch[] step = new TrialBatch[members.length];
                for (int s = 0; s < tc.stepsPerEpoch(); s++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.util.concurrent.CancellationException("stacked training of seed " + first.seed() + " and "
                                + (n - 1) + " more was interrupted");
                    }
                    for (int j = 0; j < members.length; j++) {
                        step[j] = e == 0 && s == 0 ? tbs[members[j]] : task.batch(tc.batch(), data[members[j]]);
                    }
                    c.lossAndGradients(step);
                    if (tc.nuclear() != 0 || tc.l1() != 0) {
                        for (int j = 0; j < members.length; j++) {
                            Regularisers.apply(be, c.params(), c.grads(), c.recurrentOffset(j), c.hidden(), c.hidden(), tc.nuclear(), tc.l1());
                        }
                    }
                    c.adamStep();
                }
                double[][] losses = c.takeLosses();
                for (int j = 0; j < members.length; j++) {
                    int i = members[j];
                    if (results[i] != null) continue;
                    double sum = 0;
                    for (double[] row : losses) {
                        sum += row[j];
                        if (StoppingRule.diverged(row[j])) {
                            progress[i].curve[e] = row[j];
                            results[i] = result(RunStatus.DIVERGED, e + 1, row[j], progress[i], t0, init.get(i), c.exportKeptWeights(j));
                            break;
                        }
                    }
                    if (results[i] != null) { if (finished != null) finished.accept(i, results[i]); continue; }
                    double total = sum / tc.stepsPerEpoch();
                    RunStatus done = progress[i].endEpoch(e, total, Double.NaN, Double.NaN, tc, threshold);
                    if (done != null) {
                        results[i] = result(done, progress[i].epochs, progress[i].last, progress[i], t0, init.get(i), c.exportWeights(j));
                        if (finished != null) finished.accept(i, results[i]);
                    }
                }
            }
            for (int j = 0; j < members.length; j++) {
                int i = members[j];
                if (results[i] == null) {
                    EpochProgress p = progress[i];
                    results[i] = result(p.outOfEpochs(), p.epochs, p.last, p, t0, init.get(i), c.exportWeights(j));
                    if (finished != null) finished.accept(i, results[i]);
                }
            }
        } finally {
            c.close();
        }
        return List.of(results);
    }

    private TrainResult result(RunStatus status, int epochs, double finalLoss, EpochProgress p, long t0,
                               Map<String, NdArray> init, Map<String, NdArray> weights) {
        p.epochs = epochs;
        return new TrainResult(status, epochs, finalLoss, p.curve(epochs), (System.nanoTime() - t0) / 1e9, init, weights, be.name(), null);
    }
}
