package io.degen.bench;

import io.degen.metrics.dsa.DsaMetric;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One DSA distance between two already fitted operators (the Procrustes alignment over vector
 * fields with its random starts): the part of the DSA matrix that grows with the number of pairs.
 * The two networks differ in gain (1.4 and 1.6), the ends of bench dsa's range.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR)
public class DsaPairBench {
    /** Units of the two networks; the operators are rank 20 whatever this is. */
    @Param("128")
    public int units;

    DsaMetric metric;
    Operator first, second;

    @Setup
    public void setup() {
        metric = new DsaMetric(DsaData.PARAMS, io.degen.backend.Backends.create("java"));
        first = metric.fit(DsaData.network(units, 1.4, 1), "first");
        second = metric.fit(DsaData.network(units, 1.6, 2), "second");
    }

    @Benchmark
    public double distance() {
        return metric.distance(first, second);
    }
}
