package io.degen.report;

import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.NetworkResult;
import io.degen.statistics.NetworkStats;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One figure per level against a swept knob: the condition means with error bars (±1 jackknife SE
 * over networks), each converged network as a small point beside its mean (for pairwise levels its
 * mean distance to the other networks), the same-network DSA null on the dynamics figure, and n per
 * condition in the title. Knob levels sit at evenly spaced positions labelled with their values, so
 * log-spaced knobs (0, 1e-4, 1e-3) and booleans read alike.
 */
final class KnobFigures {
    /** A level's figure: metric key, title, y-axis label, and the sentence that says what it measures. */
    record Level(String metric, String title, String axis, String meaning) { }

    static final List<Level> LEVELS = List.of(
            new Level("behaviour_sd_ood", "behaviour: SD of OOD loss", "SD of OOD loss (MSE)",
                    "Behaviour: the population SD of the networks' loss on out-of-distribution trials (units of the task's MSE); "
                            + "0 means every network generalises identically. Points: one per network, the distance of its OOD loss from the condition's mean."),
            new Level("dynamics_dsa", "dynamics: mean DSA distance", "DSA distance (angular, rad)",
                    "Dynamics: the mean pairwise DSA distance between the networks' hidden-state dynamics (angular, radians); "
                            + "0 means the same dynamics up to an orthogonal change of coordinates. Grey: the same-network null (each network's "
                            + "operators refitted on other trials); distances at or below it are not resolved by DSA. Points: each network's "
                            + "mean distance to the others."),
            new Level("weights_pif", "weights: mean d_PIF", "d_PIF (units of the weights)",
                    "Weights: the mean pairwise permutation-invariant Frobenius distance of the recurrent matrices (units of the weights); "
                            + "0 means equal up to relabelling the hidden units. Points: each network's mean distance to the others."),
            new Level("weights_pif_per_param", "weights: mean d_PIF / n^2", "d_PIF / n^2",
                    "Weights per parameter: d_PIF divided by n^2, so that networks of different widths compare."),
            new Level("weight_change", "feature learning: |W_T - W_0|", "|W_T - W_0| (Frobenius)",
                    "Feature learning: how far training moved the recurrent matrix from its initialisation (Frobenius norm); points: one per network."),
            new Level("kernel_alignment", "feature learning: NTK kernel alignment", "kernel alignment",
                    "Feature learning: the alignment of the final and initial neural tangent kernels (1 = the kernel did not change); points: one per network."));

    /** One condition as the figures see it: its knob position, its values and its analysis. */
    record Point(int position, Map<String, Object> others, ConditionResult analysis, Double mean, Double se) { }

    private KnobFigures() { }

    /** The title's width in pixels in the chart's title font. */
    static int titleWidth(XYChart ch, String title) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            return (int) Math.ceil(g.getFontMetrics(ch.getStyler().getChartTitleFont()).getStringBounds(title, g).getWidth());
        } finally {
            g.dispose();
        }
    }

    /** The chart of one level against {@code axis} whose levels are {@code levelLabels}; null when no condition has the metric. */
    static XYChart chart(Level level, String axis, List<Object> levelLabels, List<Point> points) {
        List<Point> usable = points.stream().filter(p -> p.mean() != null && Double.isFinite(p.mean())).toList();
        if (usable.isEmpty()) return null;
        StringBuilder ns = new StringBuilder();
        for (Point p : usable) {
            if (ns.length() > 0) ns.append(", ");
            ns.append(p.analysis() == null ? "?" : p.analysis().converged());
        }
        String title = level.title() + " vs " + axis + " (converged networks: " + ns + ")";
        XYChart ch = new XYChartBuilder().width(640).height(440).title(title).xAxisTitle(axis).yAxisTitle(level.axis()).build();
        int wide = titleWidth(ch, title) + 160;
        if (wide > 640) { // XChart clips a title wider than the chart: widen the chart instead
            ch = new XYChartBuilder().width(wide).height(440).title(title).xAxisTitle(axis).yAxisTitle(level.axis()).build();
        }
        ch.getStyler().setMarkerSize(8);
        ch.getStyler().setXAxisMin(-0.5);
        ch.getStyler().setXAxisMax(levelLabels.size() - 0.5);
        ch.setCustomXAxisTickLabelsFormatter(v -> {
            long i = Math.round(v);
            if (Math.abs(v - i) < 1e-9 && i >= 0 && i < levelLabels.size()) return String.valueOf(levelLabels.get((int) i));
            // between levels: blank, but a different blank for every tick (XChart drops an axis whose labels repeat)
            return " ".repeat(1 + (int) Math.max(0, Math.round(4 * (v + 2))));
        });
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        Map<String, List<Point>> groups = new java.util.LinkedHashMap<>();
        for (Point p : usable) groups.computeIfAbsent(Charts.label(p.others()), k -> new ArrayList<>()).add(p);
        int si = 0;
        for (var g : groups.entrySet()) {
            Color c = Charts.colour(si);
            double[] x = new double[g.getValue().size()], y = new double[x.length], e = new double[x.length];
            List<Double> px = new ArrayList<>(), py = new ArrayList<>(), nx = new ArrayList<>(), ny = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                Point p = g.getValue().get(i);
                x[i] = p.position();
                y[i] = p.mean();
                e[i] = p.se() == null || !Double.isFinite(p.se()) ? 0 : p.se();
                lo = Math.min(lo, y[i] - e[i]);
                hi = Math.max(hi, y[i] + e[i]);
                double[] each = perNetwork(level.metric(), p.analysis());
                for (int k = 0; k < each.length; k++) {
                    if (!Double.isFinite(each[k])) continue;
                    px.add(p.position() + 0.12 + 0.16 * k / Math.max(1, each.length - 1)); // beside the mean, spread so that they do not hide each other
                    py.add(each[k]);
                    lo = Math.min(lo, each[k]);
                    hi = Math.max(hi, each[k]);
                }
                if (level.metric().equals("dynamics_dsa") && p.analysis() != null && p.analysis().dynamics() != null
                        && Double.isFinite(p.analysis().dynamics().nullMean())) {
                    nx.add((double) p.position());
                    ny.add(p.analysis().dynamics().nullMean());
                    lo = Math.min(lo, p.analysis().dynamics().nullMean());
                }
            }
            String name = g.getKey().isEmpty() ? "mean ± SE" : g.getKey();
            XYSeries s = ch.addSeries(name, x, y, e);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (!px.isEmpty()) {
                XYSeries each = ch.addSeries(name + ": networks", px, py);
                each.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                each.setMarker(SeriesMarkers.CIRCLE);
                each.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
                each.setShowInLegend(false);
            }
            if (!nx.isEmpty()) {
                XYSeries n = ch.addSeries(g.getKey().isEmpty() ? "same-network null" : g.getKey() + ": null", nx, ny);
                n.setLineColor(Color.GRAY);
                n.setMarkerColor(Color.GRAY);
                n.setMarker(SeriesMarkers.DIAMOND);
                n.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            }
            si++;
        }
        ch.setCustomYAxisTickLabelsFormatter(Charts.ticks(lo, hi));
        ch.getStyler().setLegendVisible(ch.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).count() > 1);
        // below the plot: beside it, the legend narrows the plot and XChart centres (and clips) the title over the plot
        ch.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        return ch;
    }

    /** The per-network values behind a level's mean (NaN where a network has none). */
    static double[] perNetwork(String metric, ConditionResult a) {
        if (a == null) return new double[0];
        return switch (metric) {
            case "behaviour_sd_ood" -> centred(a.perNetwork(NetworkResult::oodLoss));
            case "dynamics_dsa" -> a.dynamics() == null || a.dynamics().matrix() == null ? new double[0] : NetworkStats.contributions(a.dynamics().matrix());
            case "weights_pif" -> a.weights() == null || a.weights().matrix() == null ? new double[0] : NetworkStats.contributions(a.weights().matrix());
            case "weights_pif_per_param" -> {
                if (a.weights() == null || a.weights().matrix() == null) yield new double[0];
                double[] c = NetworkStats.contributions(a.weights().matrix());
                double n2 = (double) a.weights().units() * a.weights().units();
                for (int i = 0; i < c.length; i++) c[i] /= n2;
                yield c;
            }
            case "weight_change" -> a.perNetwork(NetworkResult::weightChangeRecurrent);
            case "kernel_alignment" -> a.perNetwork(NetworkResult::kernelAlignment);
            default -> new double[0];
        };
    }

    /** Deviations from the mean, so that the points show the spread the SD summarises, on the SD's scale. */
    private static double[] centred(double[] x) {
        double m = NetworkStats.mean(x);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.abs(x[i] - m);
        return out;
    }
}
