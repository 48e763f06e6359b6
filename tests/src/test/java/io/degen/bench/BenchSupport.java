package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Backends;

import java.util.Random;

/** What the kernel benchmarks share: opening an engine by name and seeded random inputs. */
final class BenchSupport {
    /** Passed to every forked JVM: the Java engine's kernels use the incubating Vector API. */
    static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private BenchSupport() { }

    /**
     * The named engine. JMH cannot skip one parameter value, so an engine that does not load here
     * fails only its own trials, with this message, and JMH goes on with the other values.
     */
    static Backend open(String name) {
        String reason = Backends.unavailableReason(name);
        if (reason != null) {
            throw new IllegalStateException("backend " + name + " is unavailable here (" + reason
                    + "); run the others only, e.g. -p backend=java");
        }
        return Backends.create(name);
    }

    static float[] gaussianFloats(int n, long seed) {
        Random rng = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) rng.nextGaussian();
        return out;
    }
}
