package io.degen.cli;

import io.degen.bench.DsaSweep;
import io.degen.bench.Sweep;
import io.degen.bench.SweepBench;
import io.degen.bench.SweepBenchOptions;
import io.degen.bench.TrainSweep;
import io.degen.config.RunConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code degen bench sweep --what hidden|time|networks [--values ...] [--out .] [--warmup S]}: how
 * cost grows with hidden size, trial length (training) or the number of networks (the DSA
 * matrix). Writes {@code OUT/sweep-WHAT.csv} and a log-log plot {@code OUT/sweep-WHAT.png} (+ .svg),
 * and returns each plotted column's exponent p of a least-squares fit cost ∝ x^p. The other
 * options are those of {@code bench train} (hidden, time) or {@code bench dsa} (networks).
 */
public final class BenchSweepCommand implements Command {
    static final Map<String, String> DEFAULT_VALUES = Map.of(
            "hidden", "32,48,64,96,128,192,256,384,512",
            "time", "25,50,100,200,400",
            "networks", "5,10,20,30,50");
    /** Allowed values per knob, the same bounds as the model, task and bench dsa options. */
    private static final Map<String, int[]> RANGES = Map.of("hidden", new int[] {1, 16384}, "time", new int[] {2, 1_000_000},
            "networks", new int[] {2, 100_000});

    @Override public String name() { return "bench sweep"; }

    @Override public String help() {
        return "cost against a knob, CSV + log-log PNG: --what hidden|time|networks [--values 32,64,...] [--out .] [--warmup 2|30 s] "
                + "+ bench train's options (hidden, time) or bench dsa's (networks)";
    }

    @Override public Set<String> flags() { return RunOptions.FLAGS; }

    @Override public Object run(Args a) throws Exception {
        if (!a.positional().isEmpty()) throw new UsageException("bench sweep takes no positional arguments, got '" + a.positional().get(0) + "'");
        if (!a.has("what")) throw new UsageException("missing required option --what (hidden|time|networks)");
        String what = a.choice("what", "", "hidden", "time", "networks");
        List<Integer> values = values(a.string("values", DEFAULT_VALUES.get(what)), RANGES.get(what));
        Path out = Path.of(a.string("out", "."));
        Sweep sweep = what.equals("networks") ? new DsaSweep(DsaWorkloadOptions.parse(a)) : trainSweep(a, what, values);
        double warmup = a.number("warmup", sweep.defaultWarmupSeconds(), 0, 3600);
        try {
            a.finish();
        } catch (UsageException e) {
            throw new UsageException(e.getMessage() + " (not an option of bench sweep --what " + what + ")");
        }
        return SweepBench.run(new SweepBenchOptions(sweep, values, warmup, out));
    }

    /** Reads the training options; the sweep builds every value's configuration, so a bad one fails before any timing. */
    private static TrainSweep trainSweep(Args a, String what, List<Integer> values) {
        if (a.has(what)) throw new UsageException("option --" + what + " is what --what " + what + " varies; give its values with --values");
        String backend = a.string("backend", null);
        int threads = a.integer("threads", 1, 1, 1024);
        int steps = a.integer("steps", 10, 1, 1_000_000);
        int repeats = a.integer("repeats", 5, 1, 1000);
        RunConfig base = RunOptions.run(a, 0);
        try {
            return new TrainSweep(what, base, values, backend, threads, steps, repeats);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--what " + what + ": " + e.getMessage());
        }
    }

    /** Comma-separated integers within {@code range}, at least two distinct ones, returned ascending. */
    static List<Integer> values(String spec, int[] range) {
        TreeSet<Integer> vs = new TreeSet<>();
        for (String part : spec.split(",", -1)) {
            String p = part.trim();
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new UsageException("option --values must be comma-separated integers, got '" + spec + "' ('" + p + "' is not one)");
            }
            if (v < range[0] || v > range[1]) {
                throw new UsageException("option --values: each value must be in [" + range[0] + ", " + range[1] + "], got " + v);
            }
            if (!vs.add(v)) throw new UsageException("option --values lists " + v + " twice: '" + spec + "'");
        }
        if (vs.size() < 2) throw new UsageException("option --values needs at least two values to fit a growth exponent, got '" + spec + "'");
        return new ArrayList<>(vs);
    }
}
