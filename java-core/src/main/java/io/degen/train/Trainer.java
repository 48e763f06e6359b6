package io.degen.train;

import io.degen.backend.Backend;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.plan.RunConfig;
import io.degen.task.Task;
import io.degen.task.TrialBatch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains one network with the paper's stopping rule: epochs of {@code stepsPerEpoch} Adam steps on
 * fresh trials; once the epoch training MSE falls below the task threshold, {@code patience} more
 * epochs run and training stops (converged). Reaching {@code maxEpochs} first means not converged;
 * a NaN or infinite loss means diverged and stops at once. Nothing here throws for those outcomes.
 *
 * <p>Randomness: the seed is split into an initialisation stream and a data stream, so a seed's result
 * depends on nothing else (thread count, other runs, backend aside from float rounding).
 */
public final class Trainer {
    /** Receives one call per finished epoch. */
    public interface Listener {
        void epoch(int epoch, double loss, double lr);
    }

    private final Backend be;

    public Trainer(Backend be) { this.be = be; }

    public TrainResult train(RunConfig run, Listener listener) {
        long t0 = System.nanoTime();
        Task task = run.task();
        TrainConfig tc = run.train();
        SplittableRandom root = new SplittableRandom(run.seed());
        SplittableRandom initRng = root.split(), dataRng = root.split();
        try (RnnModel model = RnnModel.create(be, tc.dtype(), run.model(), task.inputSize(), task.outputSize());
             Workspace ws = model.workspace();
             Adam adam = new Adam(be, tc.dtype(), model.parameterCount(), effectiveLr(run))) {
            model.initialise(initRng);
            var init = model.exportWeights();
            double threshold = Double.isNaN(tc.threshold()) ? task.threshold() : tc.threshold();
            PlateauScheduler sched = new PlateauScheduler(tc.plateauFactor(), tc.plateauPatience());
            double[] curve = new double[tc.maxEpochs()];
            int epochs = 0, reachedAt = -1;
            TrainResult.Status status = TrainResult.Status.NOT_CONVERGED;
            double last = Double.NaN;
            outer:
            for (int e = 0; e < tc.maxEpochs(); e++) {
                double sum = 0;
                for (int s = 0; s < tc.stepsPerEpoch(); s++) {
                    TrialBatch tb = task.batch(tc.batch(), dataRng);
                    double loss = model.lossAndGradients(ws, tb);
                    Regularisers.apply(model, tc.nuclear(), tc.l1());
                    if (!Double.isFinite(loss)) {
                        status = TrainResult.Status.DIVERGED;
                        last = loss;
                        curve[e] = loss;
                        epochs = e + 1;
                        break outer;
                    }
                    adam.step(model.params(), model.grads());
                    sum += loss;
                }
                last = sum / tc.stepsPerEpoch();
                curve[e] = last;
                epochs = e + 1;
                if (!Double.isFinite(last)) { status = TrainResult.Status.DIVERGED; break; }
                adam.setLr(sched.step(last, adam.lr()));
                if (listener != null) listener.epoch(epochs, last, adam.lr());
                if (reachedAt < 0 && last < threshold) reachedAt = e;
                if (reachedAt >= 0 && e - reachedAt >= tc.patience()) { status = TrainResult.Status.CONVERGED; break; }
            }
            if (status == TrainResult.Status.NOT_CONVERGED && reachedAt >= 0) status = TrainResult.Status.CONVERGED;
            var fin = model.exportWeights();
            return new TrainResult(status, epochs, last, Arrays.copyOf(curve, epochs),
                    (System.nanoTime() - t0) / 1e9, init, fin, be.name());
        }
    }

    /** muP scales the base learning rate by gamma (eta = gamma eta0); the standard model uses it as is. */
    public static double effectiveLr(RunConfig run) {
        return run.model().type().equals("mup") ? run.train().lr() * run.model().gamma() : run.train().lr();
    }
}
