package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.metrics.weights.PifMetric;
import io.degen.util.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One d_PIF distance between two 128 x 128 weight matrices with entries N(0, 1/n) and the default
 * 4 starts, as `degen bench pif` runs it. The engine does the Frank-Wolfe gradient GEMMs; java is
 * the metric's default. Pairs are cycled because the solver's iteration count depends on the pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR)
public class PifPairBench {
    static final int PAIRS = 8;

    @Param({"java", "mkl"})
    public String backend;

    /** Size of the square weight matrices. */
    @Param("128")
    public int n;

    Backend be;
    PifMetric metric;
    Mat[] left, right;
    int next;

    @Setup
    public void setup() {
        be = BenchSupport.open(backend);
        metric = new PifMetric(PifMetric.Options.defaults(), be);
        Random rng = new Random(0);
        left = new Mat[PAIRS];
        right = new Mat[PAIRS];
        for (int p = 0; p < PAIRS; p++) {
            left[p] = random(rng, n);
            right[p] = random(rng, n);
        }
    }

    @Benchmark
    public double distance() {
        double d = metric.distance(left[next], right[next]);
        next = (next + 1) % PAIRS;
        return d;
    }

    @TearDown
    public void tearDown() {
        if (be != null) be.close();
    }

    private static Mat random(Random rng, int n) {
        double sd = 1 / Math.sqrt(n);
        double[] d = new double[n * n];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian() * sd;
        return new Mat(n, n, d);
    }
}
