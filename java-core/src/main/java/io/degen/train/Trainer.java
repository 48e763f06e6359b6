package io.degen.train;

import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;
import io.degen.backend.Backend;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.config.RunConfig;
import io.degen.task.Task;
import io.degen.task.TrialBatch;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains networks with the paper's stopping rule: epochs of {@code stepsPerEpoch} Adam steps on
 * fresh trials; once the epoch training MSE falls below the task threshold, {@code patience} more
 * epochs run and training stops (converged). Reaching {@code maxEpochs} first means not converged;
 * a NaN or infinite loss means diverged and stops at once. Nothing here throws for those outcomes.
 * An interrupted thread stops between two steps with a {@link java.util.concurrent.CancellationException}
 * (the training pool interrupts its workers when one of them fails).
 *
 * <p>Randomness: the seed is split into an initialisation stream and a data stream, so a seed's result
 * depends on nothing else (thread count, other runs, backend aside from float rounding).
 *
 * <p>Ensembles: {@link #train(List, List, Finished)} trains the seeds of one condition together in
 * lockstep. Every step, each network draws its own trials from its own data stream (so a seed keeps
 * the trials it would see alone), and the networks' recurrent products of each time step go to the
 * engine as one grouped GEMM. A network leaves the group when it converges, diverges or runs out of
 * epochs; the others go on. One network alone is a group of one, so both paths are the same code.
 * Where the engine {@linkplain Backend#stacksEnsembles() stacks ensembles} (the GPU), a group of the
 * standard model trains instead as one stacked {@link io.degen.model.Cohort} ({@link StackedTrainer}):
 * the same rule per network, the same numbers to rounding.
 */
public final class Trainer {
    /** Receives one call per finished epoch. */
    public interface Listener {
        void epoch(int epoch, double loss, double lr);
    }

    /** Receives each network of a group as it finishes: its index in the group and its result. */
    public interface Finished {
        void accept(int index, TrainResult result);
    }

    private final Backend be;

    public Trainer(Backend be) { this.be = be; }

    public TrainResult train(RunConfig run, Listener listener) {
        TrainResult[] out = new TrainResult[1];
        train(List.of(run), Arrays.asList(listener), (i, r) -> out[0] = r);
        return out[0];
    }

    /**
     * Trains the runs together; they must form one condition (differ only in seed).
     *
     * @param listeners one per run (entries may be null), or null
     * @return the results in run order
     */
    public List<TrainResult> train(List<RunConfig> runs, List<Listener> listeners, Finished finished) {
        requireOneCondition(runs, listeners);
        RunConfig first = runs.get(0);
        if (runs.size() > 1 && be.stacksEnsembles() && StackedTrainer.unsupported(first) == null) {
            return new StackedTrainer(be).train(runs, listeners, finished);
        }
        long t0 = System.nanoTime();
        Task task = first.task();
        TrainConfig tc = first.train();
        double threshold = StoppingRule.threshold(first);
        int k = runs.size();
        Member[] members = new Member[k];
        TrainResult[] results = new TrainResult[k];
        try {
            for (int i = 0; i < k; i++) members[i] = new Member(i, runs.get(i), listeners == null ? null : listeners.get(i));
            Member[] active = new Member[k];
            RnnModel[] nets = new RnnModel[k];
            Workspace[] wss = new Workspace[k];
            TrialBatch[] tbs = new TrialBatch[k];
            for (int e = 0; e < tc.maxEpochs(); e++) {
                int n = 0;
                for (Member m : members) if (m.result == null) { active[n++] = m; m.sum = 0; m.stopSum = 0; m.auxSum = 0; }
                if (n == 0) break;
                for (int s = 0; s < tc.stepsPerEpoch() && n > 0; s++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.util.concurrent.CancellationException("training of seed " + first.seed()
                                + (k > 1 ? " and " + (k - 1) + " more" : "") + " was interrupted");
                    }
                    for (int i = 0; i < n; i++) {
                        nets[i] = active[i].model;
                        wss[i] = active[i].ws;
                        tbs[i] = task.batch(tc.batch(), active[i].dataRng);
                    }
                    double[] loss = RnnModel.lossAndGradientsAll(nets, wss, tbs, n);
                    int kept = 0;
                    for (int i = 0; i < n; i++) {
                        Member m = active[i];
                        Regularisers.apply(m.model, tc.nuclear(), tc.l1());
                        if (StoppingRule.diverged(loss[i])) {
                            m.progress.curve[e] = loss[i];
                            m.finish(RunStatus.DIVERGED, e + 1, loss[i], t0, results, finished);
                            continue;
                        }
                        m.adam.step(m.model.params(), m.model.grads());
                        m.sum += loss[i];
                        if (m.progress.auxCurve != null) {
                            double[] split = StoppingRule.splitLoss(m.ws.outputsBatchMajor(), tbs[i], m.primary);
                            m.stopSum += split[0];
                            m.auxSum += split[1];
                        }
                        active[kept++] = m;
                    }
                    n = kept;
                }
                for (int i = 0; i < n; i++) active[i].endEpoch(e, tc, threshold, t0, results, finished);
            }
            for (Member m : members) {
                if (m.result == null) m.finish(m.progress.outOfEpochs(), m.progress.epochs, m.progress.last, t0, results, finished);
            }
        } finally {
            for (Member m : members) if (m != null) m.close();
        }
        return List.of(results);
    }

    /** Networks trained together: at least one, all of one condition (they differ only in seed), a listener each where given. */
    static void requireOneCondition(List<RunConfig> runs, List<Listener> listeners) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs to train");
        if (listeners != null && listeners.size() != runs.size()) {
            throw new IllegalArgumentException(runs.size() + " runs but " + listeners.size() + " listeners");
        }
        RunConfig first = runs.get(0);
        for (int i = 1; i < runs.size(); i++) {
            if (!runs.get(i).conditionId().equals(first.conditionId())) {
                throw new IllegalArgumentException("networks trained together must differ only in seed; run " + i + " (seed "
                        + runs.get(i).seed() + ") has another configuration than run 0");
            }
        }
    }

    /** One network of a group and its training state. */
    private final class Member implements AutoCloseable {
        final int index;
        final RnnModel model;
        final Workspace ws;
        final Adam adam;
        final SplittableRandom dataRng;
        final EpochProgress progress;
        final Map<String, io.degen.io.NdArray> init;
        /** Sums over the epoch's steps: the loss of all outputs (optimised), and with auxiliary outputs the task's and the auxiliary ones'. */
        double sum, stopSum, auxSum;
        final int primary;
        TrainResult result;
        private boolean closed;

        Member(int index, RunConfig run, Listener listener) {
            this.index = index;
            Task task = run.task();
            TrainConfig tc = run.train();
            SplittableRandom root = new SplittableRandom(run.seed());
            SplittableRandom initRng = root.split();
            dataRng = root.split();
            model = RnnModel.create(be, tc.dtype(), run.model(), task.inputSize(), task.outputSize());
            Workspace w = null;
            Adam a = null;
            try {
                w = model.workspace();
                a = new Adam(be, tc.dtype(), model.parameterCount(), effectiveLr(run));
            } catch (RuntimeException ex) {
                if (w != null) w.close();
                model.close();
                throw ex;
            }
            ws = w;
            adam = a;
            model.initialise(initRng);
            init = model.exportWeights();
            primary = task.primaryOutputs();
            progress = new EpochProgress(tc, adam.lr(), StoppingRule.watchesTaskOutputsOnly(run), listener);
        }

        void endEpoch(int e, TrainConfig tc, double threshold, long t0, TrainResult[] results, Finished finished) {
            double total = sum / tc.stepsPerEpoch();
            RunStatus done = progress.endEpoch(e, total, stopSum / tc.stepsPerEpoch(), auxSum / tc.stepsPerEpoch(), tc, threshold);
            adam.setLr(progress.lr);
            if (done == RunStatus.DIVERGED) finish(done, progress.epochs, total, t0, results, finished);
            else if (done != null) finish(done, progress.epochs, progress.last, t0, results, finished);
        }

        void finish(RunStatus status, int epochCount, double finalLoss, long t0, TrainResult[] results, Finished finished) {
            progress.epochs = epochCount;
            result = new TrainResult(status, epochCount, finalLoss, progress.curve(epochCount),
                    (System.nanoTime() - t0) / 1e9, init, model.exportWeights(), be.name(), progress.auxCurve(epochCount));
            results[index] = result;
            close();
            if (finished != null) finished.accept(index, result);
        }

        @Override public void close() {
            if (closed) return;
            closed = true;
            adam.close();
            ws.close();
            model.close();
        }
    }

    /** muP scales the base learning rate by gamma (eta = gamma eta0); the standard model uses it as is. */
    public static double effectiveLr(RunConfig run) {
        return run.model().type().equals("mup") ? run.train().lr() * run.model().gamma() : run.train().lr();
    }
}
