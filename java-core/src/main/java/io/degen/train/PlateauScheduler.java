package io.degen.train;

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau in mode "min" with relative threshold 1e-4, no
 * cooldown and no minimum learning rate: after more than {@code patience} epochs without an
 * improvement the learning rate is multiplied by {@code factor}.
 */
public final class PlateauScheduler {
    private final double factor, threshold = 1e-4;
    private final int patience;
    private double best = Double.POSITIVE_INFINITY;
    private int bad;

    public PlateauScheduler(double factor, int patience) {
        this.factor = factor;
        this.patience = patience;
    }

    /** Feeds one epoch's loss; returns the (possibly reduced) learning rate. */
    public double step(double loss, double lr) {
        if (loss < best * (1 - threshold)) { best = loss; bad = 0; }
        else bad++;
        if (bad > patience) { bad = 0; return lr * factor; }
        return lr;
    }
}
