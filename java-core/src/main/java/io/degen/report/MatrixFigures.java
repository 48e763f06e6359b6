package io.degen.report;

import io.degen.degeneracy.ConditionResult;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The pairwise distance matrices behind the dynamics and weight means: one heatmap per condition
 * and level, all conditions of a level on one colour scale so that they compare by eye.
 */
final class MatrixFigures {
    /** A condition's label and analysis. */
    record Condition(String label, ConditionResult analysis) { }

    private record Kind(String key, String title, Function<ConditionResult, double[][]> matrix) { }

    private static final List<Kind> KINDS = List.of(
            new Kind("dsa", "DSA distance", a -> a.dynamics() == null ? null : a.dynamics().matrix()),
            new Kind("pif", "d_PIF", a -> a.weights() == null ? null : a.weights().matrix()));

    private static final Color[] SCALE = {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)};
    private static final Color DIAGONAL = new Color(0xbdbdbd);

    private MatrixFigures() { }

    static double round3(double v, boolean up) {
        if (v == 0 || !Double.isFinite(v)) return v;
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        double r = (up ? Math.ceil(v * scale) : Math.floor(v * scale)) / scale;
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", r));
    }

    /** The heat map's cells {x, y, value}: entry (i, j) at column j and, counted from the bottom, row n - 1 - i; no diagonal. */
    static List<Number[]> cells(double[][] d) {
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < d.length; i++) for (int j = 0; j < d.length; j++) {
            if (i != j && Double.isFinite(d[i][j])) cells.add(new Number[] {j, d.length - 1 - i, d[i][j]});
        }
        return cells;
    }

    /** Writes the heatmaps; returns {stem, caption} per figure. */
    static List<String[]> write(List<Condition> conditions, Path out, List<String> formats) throws IOException {
        List<String[]> figures = new ArrayList<>();
        for (Kind k : KINDS) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (Condition c : conditions) {
                double[][] d = c.analysis() == null ? null : k.matrix().apply(c.analysis());
                if (d == null) continue;
                for (int i = 0; i < d.length; i++) for (int j = 0; j < d.length; j++) {
                    if (i != j && Double.isFinite(d[i][j])) { lo = Math.min(lo, d[i][j]); hi = Math.max(hi, d[i][j]); }
                }
            }
            if (!(hi >= lo)) continue;
            // round the colour scale's ends to 3 significant digits: the legend prints them as they are
            lo = round3(lo, false);
            hi = round3(hi, true);
            for (int ci = 0; ci < conditions.size(); ci++) {
                Condition c = conditions.get(ci);
                double[][] d = c.analysis() == null ? null : k.matrix().apply(c.analysis());
                if (d == null || d.length < 2) continue;
                HeatMapChart ch = new HeatMapChartBuilder().width(560).height(440).title(k.title() + ": " + c.label())
                        .xAxisTitle("network").yAxisTitle("network").build();
                ch.getStyler().setRangeColors(SCALE);
                ch.getStyler().setMin(lo);
                ch.getStyler().setMax(hi);
                ch.getStyler().setHeatMapDecimalValueFormatter(Charts.ticks(lo, hi));
                ch.getStyler().setHeatMapValueDecimalPattern(lo > 0 && hi < 1e-3 ? "0.0E0" : "0.###");
                ch.getStyler().setPlotContentSize(0.95);
                // The blank diagonal in gray, so it is not read as the scale's lightest (smallest) distance.
                ch.getStyler().setPlotBackgroundColor(DIAGONAL);
                ch.getStyler().setPlotGridLinesVisible(false);
                // Read as a matrix: row 1 at the top, columns from the left.
                List<Integer> cols = new ArrayList<>(), rows = new ArrayList<>();
                for (int i = 0; i < d.length; i++) { cols.add(i + 1); rows.add(d.length - i); }
                ch.addSeries(k.title(), cols, rows, cells(d));
                String stem = "matrix-" + k.key() + "-" + ci;
                Charts.save(ch, out, stem, formats);
                figures.add(new String[] {stem, k.title() + " between every pair of converged networks of condition " + ci + " (" + c.label()
                        + "); row i, column j is the distance of network i to network j (row 1 at the top); one colour scale for all conditions;"
                        + " the diagonal (a network with itself) in gray."});
            }
        }
        return figures;
    }
}
