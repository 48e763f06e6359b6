package io.degen.bench;

import io.degen.io.AtomicFiles;
import io.degen.report.Charts;
import org.knowm.xchart.XYChart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How cost grows with a knob: writes {@code OUT/sweep-X.csv} and a log-log plot
 * {@code OUT/sweep-X.png} (+ .svg), and returns each plotted column's exponent p of a
 * least-squares fit cost ∝ x^p.
 */
public final class SweepBench {
    private SweepBench() { }

    public static Map<String, Object> run(SweepBenchOptions o) throws Exception {
        Files.createDirectories(o.out());
        SweepTable t = o.sweep().measure(o.values(), o.warmupSeconds());
        return write(o.sweep(), t, o.out());
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
        m.put("machine", Machine.current().asMap());
        return m;
    }
}
