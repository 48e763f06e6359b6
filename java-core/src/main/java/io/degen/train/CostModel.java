package io.degen.train;

import io.degen.config.RunConfig;

/**
 * The one cost model of training a network, used by plans (cost, shard balance, time estimates),
 * the memory check before training and the benchmarks (GFLOP/s).
 * <ul>
 *   <li>one Adam step of batch B over T time steps: 2 B T (3 H^2 + 2 I H + 3 O H) floating-point
 *       operations (forward, backward through time and the weight gradients: the recurrent GEMMs
 *       dominate);</li>
 *   <li>a run: that x steps per epoch x min(max-epochs, {@link #EXPECTED_EPOCHS});</li>
 *   <li>memory: parameters held six times (weights, gradients, two Adam moments, initial and best
 *       copies), the BPTT workspace (states, pre-activations and their gradients per step and
 *       trial, inputs, targets, mask, outputs) and the loss curve, in float64.</li>
 * </ul>
 */
public final class CostModel {
    /** Epochs assumed for a run when nothing better is known: the paper's runs mostly stop well before max-epochs. */
    public static final int EXPECTED_EPOCHS = 100;

    private CostModel() { }

    /** Floating-point operations of one training step. */
    public static double flopsPerStep(RunConfig run) {
        double h = run.model().hidden(), i = run.task().inputSize(), o = run.task().outputSize();
        double tb = (double) run.train().batch() * run.task().trialLength();
        return 2 * tb * (3 * h * h + 2 * i * h + 3 * o * h);
    }

    /** Epochs a run is expected to take: {@code min(max-epochs, EXPECTED_EPOCHS)}. */
    public static int expectedEpochs(RunConfig run) { return Math.min(run.train().maxEpochs(), EXPECTED_EPOCHS); }

    /** Floating-point operations of a whole run at the expected epochs. */
    public static double flops(RunConfig run) {
        return flopsPerStep(run) * run.train().stepsPerEpoch() * expectedEpochs(run);
    }

    /** Floating-point operations of a whole run at {@code epochs} epochs. */
    public static double flops(RunConfig run, double epochs) {
        return flopsPerStep(run) * run.train().stepsPerEpoch() * epochs;
    }

    /** Estimated heap bytes to train one network (a lower bound of sorts: the JVM needs headroom on top). */
    public static long bytes(RunConfig r) {
        long h = r.model().hidden(), in = r.task().inputSize(), o = r.task().outputSize();
        long params = h * h + h * in + h * o + h + o;
        long steps = (long) r.train().batch() * r.task().trialLength();
        long workspace = steps * (4 * h + in + 3 * o);
        return 8L * (6 * params + workspace + r.train().maxEpochs());
    }
}
