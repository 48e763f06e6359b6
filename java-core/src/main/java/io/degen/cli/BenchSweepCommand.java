package io.degen.cli;

import io.degen.io.AtomicFiles;
import io.degen.report.Charts;
import org.knowm.xchart.XYChart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
        Sweep sweep = what.equals("networks") ? DsaSweep.parse(a) : TrainSweep.parse(a, what, values);
        double warmup = a.number("warmup", sweep.defaultWarmupSeconds(), 0, 3600);
        try {
            a.finish();
        } catch (UsageException e) {
            throw new UsageException(e.getMessage() + " (not an option of bench sweep --what " + what + ")");
        }
        Files.createDirectories(out);
        SweepTable t = sweep.measure(values, warmup);
        return write(sweep, t, out);
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

    private static Map<String, Object> write(Sweep sweep, SweepTable t, Path out) throws Exception {
        String stem = "sweep-" + sweep.x();
        Path csv = out.resolve(stem + ".csv");
        AtomicFiles.writeString(csv, t.csv());
        double[] x = t.column(sweep.x());
        // Fixed per-step overheads flatten the low end, so the upper half's exponent is the one to extrapolate with.
        int from = (x.length - 1) / 2;
        Map<String, PowerLaw> fits = new LinkedHashMap<>();
        Map<String, Object> exponents = new LinkedHashMap<>(), upper = new LinkedHashMap<>();
        for (String col : sweep.plotted()) {
            double[] y = t.column(col);
            PowerLaw f = PowerLaw.fit(x, y);
            fits.put(col, f);
            exponents.put(col, f.defined() ? f.exponent() : null);
            PowerLaw u = PowerLaw.fit(Arrays.copyOfRange(x, from, x.length), Arrays.copyOfRange(y, from, y.length));
            upper.put(col, u.defined() ? u.exponent() : null);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", sweep.x());
        m.put("csv", csv.toString());
        XYChart chart = SweepPlot.of(sweep, t, fits);
        if (chart != null) {
            Charts.save(chart, out, stem, List.of("png", "svg"));
            m.put("png", out.resolve(stem + ".png").toString());
            m.put("svg", out.resolve(stem + ".svg").toString());
        }
        m.put("exponents", exponents);
        m.put("upper_half_from", (long) x[from]);
        m.put("exponents_upper_half", upper);
        m.putAll(sweep.summary(t));
        m.put("rows", t.maps());
        return m;
    }
}
