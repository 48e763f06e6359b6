package io.degen.pipeline;

import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.model.RnnModel;
import io.degen.model.Simulation;
import io.degen.model.Workspace;
import io.degen.store.RunArtifacts;
import io.degen.store.StoredRun;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.train.StoppingRule;
import io.degen.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SplittableRandom;

/** Single networks: running a stored one on fresh trials, and importing one trained in PyTorch. */
public final class Networks {
    private Networks() { }

    /** What {@link #simulate} wrote. */
    public record Simulated(String out, int[] shape, boolean ood, double loss) { }

    /**
     * Runs a stored network on {@code trials} fresh trials (the OOD form with {@code ood}) from
     * {@code seed} and writes its hidden states (trials, time, units) as float32 {@code .npy}.
     */
    public static Simulated simulate(Path runDir, boolean ood, int trials, long seed, Path out, Backend be) throws IOException {
        StoredRun st = RunArtifacts.read(runDir);
        Map<String, NdArray> weights = st.weights();
        for (var e : weights.entrySet()) e.getValue().requireFinite(runDir.resolve(RunArtifacts.WEIGHTS) + ": array " + e.getKey());
        Task task = st.config().task();
        TrialBatch tb = ood ? task.oodBatch(trials, new SplittableRandom(seed)) : task.batch(trials, new SplittableRandom(seed));
        try (RnnModel m = load(be, st.config(), weights); Workspace ws = m.workspace()) {
            Simulation s = m.simulate(ws, tb);
            Npy.write(out, NdArray.f32(s.states().data(), s.states().shape()));
            return new Simulated(out.toString(), s.states().shape(), ood, s.loss());
        }
    }

    /** What {@link #importTorch} stored. */
    public record Imported(String out, String id, double loss, String status) { }

    /**
     * Stores a network trained elsewhere (PyTorch nn.RNN + nn.Linear names) as a degen run: it is
     * scored on 256 fresh trials of its task and judged by the stopping rule's threshold; without
     * initial weights the final ones stand in (weight change 0).
     */
    public static Imported importTorch(Map<String, NdArray> weights, Map<String, NdArray> initial, Map<String, Object> taskOptions,
                                       long seed, String source, Path out, Backend be) throws IOException {
        NdArray whh = weights.get("weight_hh_l0");
        if (whh == null) {
            throw new IllegalArgumentException(source + " lacks weight_hh_l0 (need nn.RNN names weight_ih_l0, weight_hh_l0, bias_ih_l0, "
                    + "bias_hh_l0 and readout.weight, readout.bias)");
        }
        whh.requireRank("weight_hh_l0", 2);
        RunConfig run = new RunConfig(taskOptions, ModelConfig.standard(whh.dim(0)), TrainConfig.defaults().withDtype(DType.F64), seed);
        try (RnnModel m = load(be, run, weights); Workspace ws = m.workspace();
             RnnModel m0 = load(be, run, initial == null ? weights : initial)) {
            double loss = m.simulate(ws, run.task().batch(256, new SplittableRandom(seed))).loss();
            RunStatus st = StoppingRule.judge(loss, StoppingRule.threshold(run));
            TrainResult tr = new TrainResult(st, 0, loss, new double[] {loss}, 0, m0.exportWeights(), m.exportWeights(), be.name());
            Path target = out.toAbsolutePath();
            Path dir = RunArtifacts.write(target.getParent(), run, tr, source);
            if (!dir.equals(target)) {
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
                dir = target;
            }
            return new Imported(dir.toString(), run.id(), loss, st.label());
        }
    }

    private static RnnModel load(Backend be, RunConfig run, Map<String, NdArray> weights) {
        Task t = run.task();
        return io.degen.model.Networks.load(be, DType.F64, run.model(), t.inputSize(), t.outputSize(), weights);
    }
}
