package io.degen.bench;

import io.degen.report.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The log-log plot of a sweep. On log-log axes a power law is a straight line whose slope is its
 * exponent, so the reader can compare the measured points with the fitted line by eye.
 */
final class SweepPlot {
    private SweepPlot() { }

    /** Null when no plotted column has a positive value (a log axis cannot show it). */
    static XYChart of(Sweep sweep, SweepTable t, Map<String, PowerLaw> fits) {
        XYChart ch = new XYChartBuilder().width(760).height(500).title(sweep.title()).xAxisTitle(sweep.xTitle()).yAxisTitle(sweep.yTitle()).build();
        ch.getStyler().setXAxisLogarithmic(true);
        ch.getStyler().setYAxisLogarithmic(true);
        ch.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        ch.getStyler().setMarkerSize(7);
        double[] x = t.column(sweep.x());
        double yLo = Double.POSITIVE_INFINITY, yHi = 0;
        int drawn = 0;
        for (String col : sweep.plotted()) {
            double[] y = t.column(col);
            List<Double> px = new ArrayList<>(), py = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (!(y[i] > 0 && Double.isFinite(y[i]))) continue;
                px.add(x[i]);
                py.add(y[i]);
                yLo = Math.min(yLo, y[i]);
                yHi = Math.max(yHi, y[i]);
            }
            if (px.isEmpty()) continue;
            PowerLaw f = fits.get(col);
            XYSeries s = ch.addSeries(col + (f.defined() ? String.format(Locale.ROOT, "  (∝ %s^%.2f)", sweep.symbol(), f.exponent()) : ""), px, py);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(Charts.colour(drawn));
            s.setMarkerColor(Charts.colour(drawn));
            drawn++;
        }
        if (drawn == 0) return null;
        // decade-only ticks leave a single label on a one-decade axis; intermediate ones crowd a wide axis
        ch.getStyler().setXAxisLogarithmicDecadeOnly(x[x.length - 1] / x[0] > 30);
        ch.getStyler().setYAxisLogarithmicDecadeOnly(yHi / yLo > 30);
        sweep.decorate(ch, t);
        return ch;
    }

    /** A reference curve: dashed, no markers. */
    static void dashed(XYChart chart, String label, double[] x, double[] y, Color colour) {
        XYSeries s = chart.addSeries(label, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setLineColor(colour);
    }

    static String label(PowerLaw f, String symbol) {
        return String.format(Locale.ROOT, "fit %.3g %s^%.2f", f.coefficient(), symbol, f.exponent());
    }
}
