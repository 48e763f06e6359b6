package io.degen.bench;

import io.degen.config.RunConfig;

/**
 * What {@code bench train} times: {@code ensemble} networks of {@code run} spread over
 * {@code threads} threads, stepped in lockstep or one after another, {@code steps} timed steps per
 * repeat. {@code backend} null is the default engine ({@link io.degen.backend.Backends#create}).
 */
public record TrainBenchOptions(RunConfig run, int steps, int repeats, int threads, int ensemble, boolean lockstep, String backend) {
    public TrainBenchOptions {
        if (ensemble < threads) throw new IllegalArgumentException("option --ensemble must be >= --threads, got " + ensemble + " < " + threads);
    }
}
