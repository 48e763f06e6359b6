package io.degen.cli;

import io.degen.config.RunStatus;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.backend.DType;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.config.ModelConfig;
import io.degen.model.Networks;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.config.RunConfig;
import io.degen.store.RunArtifacts;
import io.degen.config.TrainConfig;
import io.degen.train.TrainResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code degen import-torch}: turns an exported PyTorch nn.RNN + nn.Linear state (npz with
 * weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, readout.weight, readout.bias) into a degen
 * run directory. The network is scored on fresh trials of the named task to record its loss and
 * whether it meets the task threshold. With --init STATE0.npz the initial weights are kept for
 * feature-learning measures; without it the final weights stand in (weight change 0).
 */
public final class ImportTorchCommand implements Command {
    @Override public String name() { return "import-torch"; }

    @Override public String help() { return "import a PyTorch nn.RNN+Linear state: STATE.npz --task flipflop --channels 3 --out RUN_DIR [--seed S] [--init STATE0.npz]"; }

    @Override public java.util.Set<String> flags() { return RunOptions.FLAGS; }

    @Override public Object run(Args a) throws Exception {
        Path state = Path.of(a.positional(0, "STATE.npz"));
        Path out = a.path("out");
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        Path init = a.has("init") ? a.path("init") : null;
        Map<String, Object> taskOpts = RunOptions.task(a);
        String backendName = a.string("backend", null);
        a.finish();
        Map<String, NdArray> w = Npy.readNpz(state);
        requireFinite(state, w);
        NdArray whh = w.get("weight_hh_l0");
        if (whh == null) throw new UsageException(state + " lacks weight_hh_l0 (need nn.RNN names weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 and readout.weight, readout.bias)");
        whh.requireRank("weight_hh_l0", 2);
        RunConfig run;
        try {
            run = new RunConfig(taskOpts, ModelConfig.standard(whh.dim(0)), TrainConfig.defaults().withDtype(DType.F64), seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, NdArray> w0 = init == null ? w : Npy.readNpz(init);
        if (init != null) requireFinite(init, w0);
        try (Backend be = Backends.create(backendName);
             RnnModel m = Networks.load(be, DType.F64, run.model(), run.task().inputSize(), run.task().outputSize(), w);
             Workspace ws = m.workspace()) {
            double loss = m.loss(ws, run.task().batch(256, new SplittableRandom(seed)));
            RunStatus st = !Double.isFinite(loss) ? RunStatus.DIVERGED
                    : loss < run.task().threshold() ? RunStatus.CONVERGED : RunStatus.NOT_CONVERGED;
            TrainResult tr = new TrainResult(st, 0, loss, new double[] {loss}, 0, m.exportWeights(), m.exportWeights(), be.name());
            if (init != null) {
                try (RnnModel m0 = Networks.load(be, DType.F64, run.model(), run.task().inputSize(), run.task().outputSize(), w0)) {
                    tr = new TrainResult(st, 0, loss, new double[] {loss}, 0, m0.exportWeights(), m.exportWeights(), be.name());
                }
            }
            Path parent = out.toAbsolutePath().getParent();
            Path dir = RunArtifacts.write(parent, run, tr, Map.of("imported_from", state.toString()));
            if (!dir.equals(out.toAbsolutePath())) {
                java.nio.file.Files.move(dir, out.toAbsolutePath(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                dir = out.toAbsolutePath();
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("out", dir.toString());
            r.put("id", run.id());
            r.put("loss", loss);
            r.put("status", st.label());
            return r;
        }
    }

    /** Refuses imported weights holding NaN or infinity, naming the file, array, index and value. */
    static void requireFinite(java.nio.file.Path file, Map<String, NdArray> arrays) {
        for (var e : arrays.entrySet()) {
            double[] d = e.getValue().data();
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    throw new UsageException(file + ": array " + e.getKey() + " holds a non-finite value " + d[i] + " at flat index " + i
                            + " (weights must be finite)");
                }
            }
        }
    }
}
