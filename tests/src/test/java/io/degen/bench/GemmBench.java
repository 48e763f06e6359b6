package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
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

import java.util.concurrent.TimeUnit;

/**
 * One float32 GEMM per engine, at the shapes training spends its time in (see StandardRnn):
 * {@code step} is the recurrent product of one time step (batch 64, H 128, accumulating into C),
 * {@code wgrad} the weight gradient dW_hh = dS^T S over all T * B = 6400 rows, and {@code square512}
 * a large square product that shows each engine's peak rate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR)
public class GemmBench {
    @Param({"java", "mkl"})
    public String backend;

    @Param({"step", "wgrad", "square512"})
    public String shape;

    /** C = op(A) B + beta C with op(A) m x k, B k x n, all row-major and packed. */
    record Shape(boolean transA, int m, int n, int k, double beta) {
        static Shape named(String name) {
            switch (name) {
                case "step": return new Shape(false, 64, 128, 128, 1);
                case "wgrad": return new Shape(true, 128, 128, 6400, 0);
                case "square512": return new Shape(false, 512, 512, 512, 0);
                default: throw new IllegalArgumentException("shape must be step, wgrad or square512, got '" + name + "'");
            }
        }

        int lda() { return transA ? m : k; }

        double flops() { return 2.0 * m * n * k; }
    }

    Shape s;
    Backend be;
    Buf a, b, c;

    @Setup
    public void setup() {
        s = Shape.named(shape);
        be = BenchSupport.open(backend);
        a = be.upload(BenchSupport.gaussianFloats(s.m * s.k, 1));
        b = be.upload(BenchSupport.gaussianFloats(s.k * s.n, 2));
        c = be.upload(BenchSupport.gaussianFloats(s.m * s.n, 3));
    }

    @Benchmark
    public Buf gemm() {
        be.gemm(s.transA, false, s.m, s.n, s.k, 1, a, 0, s.lda(), b, 0, s.n, s.beta, c, 0, s.n);
        return c;
    }

    @TearDown
    public void tearDown() {
        for (Buf x : new Buf[] {a, b, c}) if (x != null) x.close();
        if (be != null) be.close();
    }
}
