package io.degen.train;

import io.degen.config.RunConfig;
import io.degen.config.RunStatus;

/**
 * The paper's stopping rule, in one place: a network has converged once its epoch training MSE is
 * below the threshold (the spec's {@code train.threshold}, else the task's own value) and stays
 * trained for {@code patience} more epochs; a NaN or infinite loss means it diverged.
 */
public final class StoppingRule {
    private StoppingRule() { }

    /** Whether this run's stopping rule watches only the task's own outputs while others are trained too. */
    public static boolean watchesTaskOutputsOnly(RunConfig run) {
        return run.task().primaryOutputs() < run.task().outputSize() && io.degen.config.TrainConfig.TASK_OUTPUTS.equals(run.train().stopOn());
    }

    /**
     * The masked MSE of the first {@code primary} output channels and of the rest, from batch-major
     * outputs (B, T, O) and the trials' targets and mask: {primary loss, auxiliary loss}.
     */
    public static double[] splitLoss(double[] outputs, io.degen.task.TrialBatch tb, int primary) {
        double sp = 0, np = 0, sa = 0, na = 0;
        int o = tb.outputs();
        for (int i = 0; i < outputs.length; i++) {
            double m = tb.mask()[i];
            if (m == 0) continue;
            double d = outputs[i] - tb.target()[i], e = m * d * d;
            if (i % o < primary) { sp += e; np += m; } else { sa += e; na += m; }
        }
        return new double[] {np > 0 ? sp / np : Double.NaN, na > 0 ? sa / na : Double.NaN};
    }

    /** The threshold that applies to this run. */
    public static double threshold(RunConfig run) {
        double t = run.train().threshold();
        return Double.isNaN(t) ? run.task().threshold() : t;
    }

    public static boolean diverged(double loss) { return !Double.isFinite(loss); }

    public static boolean belowThreshold(double loss, double threshold) { return loss < threshold; }

    /**
     * The status of a network judged by one evaluation of its loss (an imported network, which
     * has no training epochs to be patient over).
     */
    public static RunStatus judge(double loss, double threshold) {
        if (diverged(loss)) return RunStatus.DIVERGED;
        return belowThreshold(loss, threshold) ? RunStatus.CONVERGED : RunStatus.NOT_CONVERGED;
    }
}
