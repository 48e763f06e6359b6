package io.degen.cli;

import io.degen.bench.DsaBench;
import io.degen.bench.DsaBenchOptions;

/**
 * {@code degen bench dsa [--networks 50] [--units 128] [--trials 64] [--time 100] [--n-delays 5]
 * [--rank 20] [--threads 2] [--seed 0] [--backend java]}: times DSA on trajectories of random tanh
 * RNNs ({@link io.degen.bench.DsaWorkload}). Reports the fit time, the pairwise-matrix time and
 * their sum.
 */
public final class BenchDsaCommand implements Command {
    @Override public String name() { return "bench dsa"; }

    @Override public String help() {
        return "time DSA on random tanh RNNs: --networks 50 --units 128 --trials 64 --time 100 --n-delays 5 --rank 20 "
                + "--threads 2 --seed 0 --backend java";
    }

    @Override public Object run(Args args) throws Exception {
        int networks = args.integer("networks", 50, 2, 100_000);
        DsaBenchOptions o = new DsaBenchOptions(networks, DsaWorkloadOptions.parse(args));
        args.finish();
        return DsaBench.run(o);
    }
}
