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
