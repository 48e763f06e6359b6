package io.degen.bench;

import io.degen.io.NdArray;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.dsa.RandomTanhRnn;

/**
 * The workload of `degen bench dsa` at its defaults: trajectories of random tanh RNNs (64 trials x
 * 100 steps x 128 units, input noise 0.1, gain in [1.4, 1.6]) compared with 5 delays at rank 20.
 */
final class DsaData {
    static final int TRIALS = 64, TIME = 100;
    static final double NOISE = 0.1;
    static final DsaParams PARAMS = new DsaParams(5, 1, 20, 0, DsaParams.Score.ANGULAR, 0, DsaParams.DEFAULT_RANDOM_STARTS);

    private DsaData() { }

    static NdArray network(int units, double gain, long seed) {
        return RandomTanhRnn.trajectories(units, TRIALS, TIME, gain, NOISE, seed);
    }
}
