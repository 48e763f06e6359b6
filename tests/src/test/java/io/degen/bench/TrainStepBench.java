package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.config.ModelConfig;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.config.RunConfig;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.train.Adam;
import io.degen.config.TrainConfig;
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

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One training step of one network, the unit `degen bench train` times: forward pass, masked MSE,
 * BPTT and the Adam update, on the 3-bit flip-flop with H = 128, batch 64, T = 100, float32 (the
 * defaults of that command). Batches are generated in setup, so data generation is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR)
public class TrainStepBench {
    /** Batches cycled through, as bench train does; more would only add memory. */
    static final int BATCHES = 8;

    @Param({"java", "mkl"})
    public String backend;

    /** Hidden units; other sizes show how the step scales (the work grows as H^2). */
    @Param("128")
    public int hidden;

    RunConfig run;
    Backend be;
    RnnModel model;
    Workspace ws;
    Adam adam;
    TrialBatch[] data;
    int next;

    @Setup
    public void setup() {
        run = new RunConfig(Map.of("type", "flipflop", "channels", 3, "time", 100), ModelConfig.standard(hidden),
                TrainConfig.defaults().withBatch(64), 0);
        Task task = run.task();
        SplittableRandom rng = new SplittableRandom(0);
        data = new TrialBatch[BATCHES];
        for (int i = 0; i < BATCHES; i++) data[i] = task.batch(run.train().batch(), rng);
        be = BenchSupport.open(backend);
        model = RnnModel.create(be, run.train().dtype(), run.model(), task.inputSize(), task.outputSize());
        model.initialise(rng);
        ws = model.workspace();
        adam = new Adam(be, run.train().dtype(), model.parameterCount(), run.train().lr());
    }

    /** Returns the step's loss (before the update). */
    @Benchmark
    public double step() {
        double loss = model.lossAndGradients(ws, data[next]);
        adam.step(model.params(), model.grads());
        next = (next + 1) % BATCHES;
        return loss;
    }

    @TearDown
    public void tearDown() {
        if (adam != null) adam.close();
        if (ws != null) ws.close();
        if (model != null) model.close();
        if (be != null) be.close();
    }
}
