package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.backend.DType;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.model.Networks;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.store.RunArtifacts;
import io.degen.task.TrialBatch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code degen simulate}: runs a trained network on fresh trials and writes its hidden-state
 * trajectories (trials, time, units) as .npy: h_t for the standard model, the state h_t (before
 * tanh) for the muP model.
 */
public final class SimulateCommand implements Command {
    @Override public String name() { return "simulate"; }

    @Override public String help() { return "hidden-state trajectories of a trained network: --net RUN_DIR [--ood] --trials 64 --seed S --out traj.npy"; }

    @Override public Set<String> flags() { return Set.of("ood"); }

    @Override public Object run(Args a) throws Exception {
        Path net = a.path("net");
        boolean ood = a.flag("ood");
        int trials = a.integer("trials", 64, 1, 1_000_000);
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        Path out = a.path("out");
        String backendName = a.string("backend", null);
        a.finish();
        RunArtifacts.Stored st = RunArtifacts.read(net);
        var weights = st.weights();
        ImportTorchCommand.requireFinite(net.resolve(RunArtifacts.WEIGHTS), weights); // e.g. a diverged network
        var task = st.config().task();
        TrialBatch tb = ood ? task.oodBatch(trials, new SplittableRandom(seed)) : task.batch(trials, new SplittableRandom(seed));
        try (Backend be = Backends.create(backendName);
             RnnModel m = Networks.load(be, DType.F64, st.config().model(), st.config().task().inputSize(), st.config().task().outputSize(), weights);
             Workspace ws = m.workspace()) {
            double loss = m.loss(ws, tb);
            Npy.write(out, NdArray.f32(ws.statesBatchMajor(), tb.batch(), tb.time(), m.hidden()));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("out", out.toString());
            r.put("shape", new int[] {tb.batch(), tb.time(), m.hidden()});
            r.put("ood", ood);
            r.put("loss", loss);
            return r;
        }
    }
}
