package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.io.NdArray;
import io.degen.metrics.dsa.HavokDmd;
import io.degen.metrics.dsa.Operator;
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
 * The rank-20 HAVOK operator of one network's trajectories (Hankel Gram matrix, eigen-decomposition,
 * least squares), the per-network part of DSA. DsaMetric fits on the Java engine; the parameter
 * shows what the MKL engine would change.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR)
public class HavokFitBench {
    @Param({"java", "mkl"})
    public String backend;

    @Param("128")
    public int units;

    Backend be;
    NdArray x;

    @Setup
    public void setup() {
        x = DsaData.network(units, 1.5, 0);
        be = BenchSupport.open(backend);
    }

    @Benchmark
    public Operator fit() {
        return HavokDmd.fit(be, x, DsaData.PARAMS, "X");
    }

    @TearDown
    public void tearDown() {
        if (be != null) be.close();
    }
}
