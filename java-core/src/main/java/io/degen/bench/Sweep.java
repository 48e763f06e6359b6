package io.degen.bench;

import io.degen.report.Charts;
import org.knowm.xchart.XYChart;

import java.util.List;
import java.util.Map;

/** One kind of {@code bench sweep}: what it varies, how it measures a value, and what its plot shows. */
public sealed interface Sweep permits TrainSweep, DsaSweep {
    /** The swept knob: the first CSV column and the name in the output files. */
    String x();

    /** The knob's letter in the plot's legend (cost ∝ H^p). */
    String symbol();

    String title();

    String xTitle();

    String yTitle();

    /** Untimed running at the first value before the sweep, unless --warmup says otherwise. */
    default double defaultWarmupSeconds() { return 2; }

    /** Measures every value (ascending) after an untimed warm-up of {@code warmupSeconds}. */
    SweepTable measure(List<Integer> values, double warmupSeconds) throws Exception;

    /** Columns drawn against x on log-log axes, each labelled with its fitted exponent. */
    List<String> plotted();

    /** Settings and derived numbers for the JSON result. */
    Map<String, Object> summary(SweepTable t);

    /** Adds the reference curve: by default the fitted power law of the first plotted column. */
    default void decorate(XYChart chart, SweepTable t) {
        double[] x = t.column(x());
        PowerLaw f = PowerLaw.fit(x, t.column(plotted().get(0)));
        if (!f.defined()) return;
        double[] ends = {x[0], x[x.length - 1]};
        SweepPlot.dashed(chart, SweepPlot.label(f, symbol()), ends, new double[] {f.at(ends[0]), f.at(ends[1])}, Charts.colour(7));
    }
}
