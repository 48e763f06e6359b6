package io.degen.train;

import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;

import java.util.Arrays;

/**
 * One network's way through the paper's stopping rule, epoch by epoch: its loss curve (and the
 * auxiliary outputs' beside it), the plateau schedule of its learning rate, and when it is done.
 * Shared by the grouped ({@link Trainer}) and the stacked ({@link StackedTrainer}) trainings, so
 * both judge a network the same way.
 */
final class EpochProgress {
    private final PlateauScheduler sched;
    private final Trainer.Listener listener;
    final double[] curve;
    /** The auxiliary outputs' epoch loss, where the rule watches only the task's own outputs; else null. */
    final double[] auxCurve;
    int epochs, reachedAt = -1;
    double last = Double.NaN, lr;

    EpochProgress(TrainConfig tc, double lr, boolean aux, Trainer.Listener listener) {
        this.sched = new PlateauScheduler(tc.plateauFactor(), tc.plateauPatience());
        this.listener = listener;
        this.lr = lr;
        curve = new double[tc.maxEpochs()];
        auxCurve = aux ? new double[tc.maxEpochs()] : null;
    }

    /**
     * Closes epoch {@code e} from the means over its steps of the optimised loss, and (with auxiliary
     * outputs) of the task's and the auxiliary outputs' losses; returns the status when this epoch
     * ends the training, else null. The learning-rate schedule follows what is optimised; the
     * stopping rule, the loss it watches.
     */
    RunStatus endEpoch(int e, double total, double stop, double aux, TrainConfig tc, double threshold) {
        last = auxCurve == null ? total : stop;
        curve[e] = last;
        if (auxCurve != null) auxCurve[e] = aux;
        epochs = e + 1;
        if (StoppingRule.diverged(total)) return RunStatus.DIVERGED;
        lr = sched.step(total, lr);
        if (listener != null) listener.epoch(epochs, last, lr);
        if (reachedAt < 0 && StoppingRule.belowThreshold(last, threshold)) reachedAt = e;
        if (reachedAt >= 0 && e - reachedAt >= tc.patience()) return RunStatus.CONVERGED;
        return null;
    }

    /** The status of a network that ran out of epochs. */
    RunStatus outOfEpochs() { return reachedAt >= 0 ? RunStatus.CONVERGED : RunStatus.NOT_CONVERGED; }

    double[] curve(int epochCount) { return Arrays.copyOf(curve, epochCount); }

    double[] auxCurve(int epochCount) { return auxCurve == null ? null : Arrays.copyOf(auxCurve, epochCount); }
}
