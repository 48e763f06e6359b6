package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.pipeline.Networks;

import java.nio.file.Path;
import java.util.Set;



/**
 * {@code degen simulate}: runs a trained network on fresh trials and writes its hidden-state
 * trajectories ({@link Networks#simulate}).
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
        try (Backend be = Backends.create(backendName)) {
            return Networks.simulate(net, ood, trials, seed, out, be);
        }
    }
}
