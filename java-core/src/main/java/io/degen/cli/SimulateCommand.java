package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.pipeline.Networks;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code degen simulate}: runs a stored network on trials its task generates, or on the user's own
 * inputs ({@code --inputs X.npy}), and writes the hidden states ({@code .npy}) or hidden states,
 * outputs, inputs and (for generated trials) targets and mask ({@code .npz}); {@link Networks#simulate}.
 */
public final class SimulateCommand implements Command {
    @Override public String name() { return "simulate"; }

    @Override public String help() {
        return "run a stored network: --net RUN_DIR (--trials 64 --seed S [--ood] | --inputs X.npy) --out traj.npy"
                + " (hidden states) or --out run.npz (hidden, output, inputs, targets, mask)";
    }

    @Override public Set<String> flags() { return Set.of("ood"); }

    @Override public Object run(Args a) throws Exception {
        Path net = a.path("net");
        Path inputs = a.has("inputs") ? a.path("inputs") : null;
        if (inputs != null) {
            for (String o : List.of("trials", "seed", "ood")) {
                if (a.has(o)) throw new UsageException("--" + o + " is for trials the task generates; --inputs " + inputs + " gives the trials: use one or the other");
            }
        }
        boolean ood = a.flag("ood");
        int trials = a.integer("trials", 64, 1, 1_000_000);
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        Path out = a.path("out");
        String file = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!file.endsWith(".npy") && !file.endsWith(".npz")) {
            throw new UsageException("option --out must end in .npy (hidden states) or .npz (hidden, output, inputs, targets, mask), got '" + out + "'");
        }
        String backendName = a.string("backend", null);
        a.finish();
        Networks.Trials t = inputs != null ? Networks.Trials.read(inputs) : Networks.Trials.generated(trials, seed, ood);
        try (Backend be = Backends.create(backendName)) {
            return Networks.simulate(net, t, out, be);
        }
    }
}
