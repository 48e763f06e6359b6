package io.degen.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.AtomicFiles;
import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.JointDynamics;
import io.degen.degeneracy.MetricValue;
import io.degen.store.MetricsFiles;
import io.degen.store.RunArtifacts;
import io.degen.store.StoreLayout;
import io.degen.util.Json;
import io.degen.store.Store;
import io.degen.verdict.VerdictTable;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code DIR/report/}: an index.html with figures (PNG and SVG, drawn with XChart) and
 * {@code conditions.csv}, from a store written by the experiment pipeline (plan.json, metrics/,
 * runs/). Figures: each degeneracy level against each swept knob with standard-error bars (one
 * series per combination of the other knobs), the 2-D classical MDS map of each condition's DSA
 * distance matrix (when the dynamics level is available), training loss curves, and the share of
 * converged networks per condition.
 */
public final class ReportWriter {
    private ReportWriter() { }

    record Cond(int index, String id, Map<String, Object> values, List<String> runs, ConditionResult analysis,
                        Map<String, MetricValue> metrics) { }

    /** Writes DIR/report and returns a summary (files written, conditions, notes). */
    @SuppressWarnings("unchecked")
    /** The report without a verdict section. */
    public static Map<String, Object> write(Path dir) throws IOException { return write(dir, null, null); }

    /**
     * The report of a store; {@code verdict} (its judged Table 1 rows) goes into index.html and
     * verdict.md, or {@code verdictProblem} says why the study cannot be judged.
     */
    public static Map<String, Object> write(Path dir, VerdictTable verdict, String verdictProblem) throws IOException {
        StoreLayout layout = StoreLayout.at(dir);
        Path planFile = layout.plan();
        if (!Files.isRegularFile(planFile)) throw new IllegalArgumentException(notAStore(dir));
        JsonNode plan;
        try { plan = Json.read(planFile); }
        catch (IOException e) { throw new io.degen.store.StoreFormatException(planFile + ": not valid JSON (" + io.degen.util.SpecPath.cutMessage(e.getMessage()) + ")"); }
        if (plan == null || !plan.path("axes").isArray() || !plan.path("conditions").isArray()) {
            throw new io.degen.store.StoreFormatException(planFile + ": not a plan (no axes or conditions); run 'degen run SPEC --out " + dir + "' to write it again");
        }
        Path out = layout.report();
        Files.createDirectories(out);
        List<String> axes = new ArrayList<>();
        for (JsonNode a : plan.get("axes")) axes.add(a.get("name").asText());
        List<String> formats = new ArrayList<>();
        JsonNode fm = plan.path("report").path("formats");
        if (fm.isArray() && fm.size() > 0) for (JsonNode f : fm) formats.add(f.asText()); else formats.addAll(List.of("png", "svg"));
        List<Cond> conds = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (JsonNode c : plan.get("conditions")) {
            String id = c.get("id").asText();
            Map<String, Object> values = Json.MAPPER.convertValue(c.get("values"), LinkedHashMap.class);
            List<String> runs = new ArrayList<>();
            for (JsonNode r : c.get("runs")) runs.add(r.asText());
            ConditionResult analysis = MetricsFiles.read(layout, id);
            Map<String, MetricValue> metrics = new LinkedHashMap<>();
            if (analysis != null) {
                for (MetricValue v : analysis.metrics()) metrics.put(v.metric(), v);
            } else {
                notes.add("condition " + id + " has no metrics yet");
            }
            conds.add(new Cond(conds.size(), id, values, runs, analysis, metrics));
        }
        List<String[]> figures = new ArrayList<>(); // {file stem, caption}

        // Degeneracy at each level against each swept knob.
        for (int a = 0; a < axes.size(); a++) {
            String axis = axes.get(a);
            List<Object> levels = new ArrayList<>();
            for (JsonNode v : plan.get("axes").get(a).get("values")) levels.add(Json.MAPPER.convertValue(v, Object.class));
            for (KnobFigures.Level lm : KnobFigures.LEVELS) {
                if (conds.stream().noneMatch(c -> c.metrics().containsKey(lm.metric()))) {
                    notes.add(lm.title() + " is not available: no figure against " + axis);
                    continue;
                }
                List<KnobFigures.Point> pts = new ArrayList<>();
                for (Cond c : conds) {
                    MetricValue v = c.metrics().get(lm.metric());
                    if (v == null) continue;
                    Map<String, Object> others = new LinkedHashMap<>(c.values());
                    Object x = others.remove(axis);
                    pts.add(new KnobFigures.Point(levels.indexOf(x), others, c.analysis(), v.value(), v.se()));
                }
                XYChart ch = KnobFigures.chart(lm, axis, levels, pts);
                if (ch == null) continue;
                String stem = "knob-" + slug(axis) + "-" + lm.metric();
                Charts.save(ch, out, stem, formats);
                figures.add(new String[] {stem, lm.meaning() + " Error bars: ±1 standard error over networks (leave-one-network-out jackknife)."});
            }
        }

        for (String[] f : MatrixFigures.write(conds.stream().map(c -> new MatrixFigures.Condition(Charts.label(c.values()), c.analysis())).toList(), out, formats)) {
            figures.add(f);
        }

        // Classical MDS of the joint DSA matrix over all conditions (each network one point).
        XYChart mds = new XYChartBuilder().width(600).height(680).title("DSA distances, classical MDS").xAxisTitle("MDS 1").yAxisTitle("MDS 2").build();
        mds.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS); // below, so the plot itself is square
        mds.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        mds.getStyler().setMarkerSize(9);
        int mdsSeries = 0;
        JointDynamics joint = MetricsFiles.readJoint(layout);
        if (joint != null) {
            double[][] d = finite(joint.matrix());
            List<String> jc = joint.conditions() == null ? List.of() : joint.conditions();
            if (d != null && d.length >= 3 && jc.size() == d.length) {
                io.degen.util.Mat xy = io.degen.metrics.similarity.ClassicalMds.embed2d(d);
                double r = 0;
                for (int i = 0; i < d.length; i++) r = Math.max(r, Math.max(Math.abs(xy.get(i, 0)), Math.abs(xy.get(i, 1))));
                r = r > 0 ? 1.1 * r : 1;
                // equal aspect: both axes span the same range on a square plot, so distances read the same in every direction
                mds.getStyler().setXAxisMin(-r).setXAxisMax(r).setYAxisMin(-r).setYAxisMax(r);
                mds.setCustomXAxisTickLabelsFormatter(Charts.ticks(-r, r));
                mds.setCustomYAxisTickLabelsFormatter(Charts.ticks(-r, r));
                for (Cond c : conds) {
                    List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                    for (int i = 0; i < d.length; i++) if (c.id().equals(jc.get(i))) { xs.add(xy.get(i, 0)); ys.add(xy.get(i, 1)); }
                    if (xs.isEmpty()) continue;
                    XYSeries s = mds.addSeries(label(c), xs, ys);
                    s.setMarkerColor(Charts.colour(c.index()));
                    s.setMarker(SeriesMarkers.CIRCLE);
                    mdsSeries++;
                }
            }
        }
        if (mdsSeries > 0) {
            Charts.save(mds, out, "dsa-mds", formats);
            figures.add(new String[] {"dsa-mds", "2-D classical MDS of the DSA distances between all converged networks "
                    + "(one point per network, one colour per condition): tighter clusters mean lower dynamical degeneracy"});
        } else {
            notes.add("no joint DSA matrix (dynamics level not measured, a single condition, or fewer than 3 converged networks): no MDS map");
        }

        // Loss curves.
        Store store = Store.at(dir); // one per report: each run is verified once (loss curves, runs.csv)
        XYChart loss = lossChart(store, conds);
        int nCurves = loss.getSeriesMap().size();
        if (nCurves > 0) {
            Charts.save(loss, out, "loss-curves", formats);
            figures.add(new String[] {"loss-curves", "Training loss per epoch of every network (colour: condition); dashed: the loss at which "
                    + "training stops as converged (after the spec's patience)."});
        }

        // Share of converged networks per condition.
        List<String> names = new ArrayList<>();
        List<Double> share = new ArrayList<>(), shareSe = new ArrayList<>();
        for (Cond c : conds) {
            MetricValue v = c.metrics().get("share_converged");
            if (v == null) continue;
            names.add(c.index() + ": " + label(c));
            share.add(v.value());
            shareSe.add(v.se() == null || !Double.isFinite(v.se()) ? 0.0 : v.se());
        }
        if (!names.isEmpty()) {
            CategoryChart bar = new CategoryChartBuilder().width(720).height(440).title("Share of converged networks").xAxisTitle("condition")
                    .yAxisTitle("share converged").build();
            bar.getStyler().setLegendVisible(false);
            bar.getStyler().setYAxisMin(0.0);
            bar.getStyler().setYAxisMax(1.0);
            bar.addSeries("share converged", names, share, shareSe);
            Charts.save(bar, out, "share-converged", formats);
            figures.add(new String[] {"share-converged", "Share of converged networks per condition (error bars: binomial standard error)"});
        }

        String csv = csv(conds, axes);
        AtomicFiles.writeString(out.resolve("conditions.csv"), csv);
        AtomicFiles.writeString(out.resolve("runs.csv"), RunsCsv.of(store, conds.stream().map(c -> new RunsCsv.Condition(c.id(), c.values(), c.runs(), c.analysis())).toList(), axes));
        if (verdict != null) AtomicFiles.writeString(out.resolve("verdict.md"), verdict.markdown());
        else Files.deleteIfExists(out.resolve("verdict.md"));
        AtomicFiles.writeString(out.resolve("index.html"), html(plan, conds, axes, figures, notes, formats, VerdictHtml.section(verdict, verdictProblem)));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("report", out.resolve("index.html").toString());
        res.put("conditions", conds.size());
        List<String> files = new ArrayList<>();
        for (String[] f : figures) for (String fmt : formats) files.add(f[0] + "." + fmt);
        res.put("figures", files);
        res.put("csv", out.resolve("conditions.csv").toString());
        res.put("runs_csv", out.resolve("runs.csv").toString());
        if (verdict != null) res.put("verdict", out.resolve("verdict.md").toString());
        else res.put("verdict_problem", verdictProblem);
        res.put("notes", notes);
        return res;
    }

    /** Every network's loss per epoch, one colour and one legend entry per condition, with the stop threshold dashed. */
    static XYChart lossChart(Store store, List<Cond> conds) throws IOException {
        StoreLayout layout = store.layout();
        XYChart loss = new XYChartBuilder().width(720).height(460).title("Training loss").xAxisTitle("epoch").yAxisTitle("loss (log scale)").build();
        loss.getStyler().setYAxisLogarithmic(true);
        loss.getStyler().setMarkerSize(0);
        loss.getStyler().setXAxisTickMarkSpacingHint(90); // a few round epoch numbers, not one label per epoch
        loss.setCustomXAxisTickLabelsFormatter(v -> String.valueOf(Math.round(v)));
        int maxEpochs = 0;
        java.util.Set<Double> thresholds = new java.util.TreeSet<>();
        for (Cond c : conds) {
            boolean named = false;
            for (String rid : c.runs()) {
                Path ld = layout.run(rid).resolve(RunArtifacts.LOSS);
                if (!Files.isRegularFile(ld)) continue;
                double[] y = io.degen.io.Npy.read(ld).data();
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < y.length; i++) if (y[i] > 0 && Double.isFinite(y[i])) pts.add(new double[] {i + 1, y[i]});
                if (pts.isEmpty()) continue;
                XYSeries s = loss.addSeries(named ? rid : label(c), col(pts, 0), col(pts, 1));
                s.setLineColor(Charts.colour(c.index()));
                s.setMarker(SeriesMarkers.NONE);
                s.setShowInLegend(!named); // one legend entry per condition, not per network
                named = true;
                maxEpochs = Math.max(maxEpochs, y.length);
            }
            for (String rid : c.runs()) {
                io.degen.store.StoredRun stored = store.get(rid);
                if (stored == null) continue;
                try { thresholds.add(io.degen.train.StoppingRule.threshold(stored.config())); }
                catch (RuntimeException e) { /* a user task that is not registered here: no threshold line */ }
                break;
            }
        }
        if (loss.getSeriesMap().isEmpty()) return loss;
        for (double th : thresholds) {
            XYSeries t = loss.addSeries("stop threshold " + th, new double[] {1, Math.max(2, maxEpochs)}, new double[] {th, th});
            t.setLineColor(Color.BLACK);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return loss;
    }

    /**
     * Why {@code dir} has no report: a {@code degen train} folder holds networks but no plan (no
     * conditions to compare), so say how to analyse them or how to get a report.
     */
    public static String notAStore(Path dir) {
        if (Files.isDirectory(StoreLayout.at(dir).runs())) {
            return dir + " holds trained networks but no plan.json (it was written by 'degen train'), so it has no conditions to report on: "
                    + "analyse the networks with 'degen degeneracy " + StoreLayout.at(dir).runs() + "', or describe the study in a spec and "
                    + "'degen run SPEC --out NEW_DIR', which trains, measures and reports";
        }
        return dir + " is not an experiment store (no plan.json; run 'degen run SPEC --out " + dir + "' first)";
    }

    private static String labels(List<Object> levels) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) s.add(i + "=" + levels.get(i));
        return String.join(", ", s);
    }

    private static String label(Cond c) { return c.values().isEmpty() ? c.id() : Charts.label(c.values()); }

    private static String slug(String s) { return s.replaceAll("[^A-Za-z0-9-]+", "_"); }

    private static double[] col(List<double[]> pts, int j) {
        double[] o = new double[pts.size()];
        for (int i = 0; i < o.length; i++) o[i] = pts.get(i)[j];
        return o;
    }

    /** The matrix when every entry is finite, else null (no MDS map of an incomplete matrix). */
    private static double[][] finite(double[][] d) {
        if (d == null) return null;
        for (double[] row : d) {
            if (row.length != d.length) return null;
            for (double x : row) if (!Double.isFinite(x)) return null;
        }
        return d;
    }

    static String csv(List<Cond> conds, List<String> axes) {
        StringBuilder b = new StringBuilder("condition_id");
        for (String a : axes) b.append(',').append(cell(a));
        b.append(",networks,converged,not_converged,diverged");
        for (String m : ConditionResult.METRICS) b.append(',').append(m).append(',').append(m).append("_se");
        b.append('\n');
        for (Cond c : conds) {
            b.append(c.id());
            for (String a : axes) b.append(',').append(cell(String.valueOf(c.values().get(a))));
            ConditionResult a = c.analysis();
            for (Integer v : a == null ? java.util.Arrays.<Integer>asList(null, null, null, null)
                    : List.of(a.networks(), a.converged(), a.notConverged(), a.diverged())) {
                b.append(',').append(v == null ? "" : v);
            }
            for (String m : ConditionResult.METRICS) {
                MetricValue v = c.metrics().get(m);
                b.append(',').append(v == null ? "" : fmt(v.value())).append(',').append(v == null ? "" : fmt(v.se()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String fmt(Double d) { return d == null || !Double.isFinite(d) ? "" : String.format(Locale.ROOT, "%.6g", d); }

    static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String html(JsonNode plan, List<Cond> conds, List<String> axes, List<String[]> figures, List<String> notes, List<String> formats,
                               String verdictSection) {
        String title = plan.path("report").path("title").asText(plan.path("name").asText("experiment"));
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:3px 7px;font-size:90%}figure{margin:1.5em 0}img{max-width:100%;height:auto}"
                        + "figcaption{max-width:46em}.wide{overflow-x:auto;max-width:100%}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>spec <code>").append(esc(plan.path("name").asText())).append("</code>, hash <code>")
                .append(esc(plan.path("spec_hash").asText())).append("</code>, ").append(conds.size()).append(" condition(s), ")
                .append(plan.path("runs").size()).append(" network(s). Data: <a href=\"conditions.csv\">conditions.csv</a> (one row per condition), "
                        + "<a href=\"runs.csv\">runs.csv</a> (one row per network); the full pairwise matrices are in <code>metrics/</code>.</p>\n");
        h.append("<h2>How to read this report</h2>\n<p>Many networks were trained on one task from different seeds; degeneracy is how "
                + "different their solutions are, at three levels. Only converged networks are measured; n is the number of converged "
                + "networks (shown as converged / trained in the table and on every figure). Values are written mean &plusmn; 1 standard "
                + "error; the standard error leaves out one network at a time (pairs share networks, so the network is the unit).</p>\n<ul>");
        for (KnobFigures.Level lm : KnobFigures.LEVELS) {
            if (lm.metric().equals("weights_pif_per_param")) continue;
            h.append("<li>").append(esc(lm.meaning())).append("</li>");
        }
        h.append("</ul>\n");
        h.append(verdictSection);
        h.append("<h2>Conditions</h2>\n<div class=\"wide\"><table><tr><th>#</th><th>condition</th>");
        for (String a : axes) h.append("<th>").append(esc(a)).append("</th>");
        h.append("<th>converged</th>");
        for (KnobFigures.Level lm : KnobFigures.LEVELS) h.append("<th>").append(esc(lm.metric())).append("</th>");
        h.append("</tr>\n");
        for (Cond c : conds) {
            h.append("<tr><td>").append(c.index()).append("</td><td><code>").append(c.id()).append("</code></td>");
            for (String a : axes) h.append("<td>").append(esc(String.valueOf(c.values().get(a)))).append("</td>");
            h.append("<td>").append(c.analysis() == null ? "" : c.analysis().converged() + " / " + c.analysis().networks()).append("</td>");
            for (KnobFigures.Level lm : KnobFigures.LEVELS) {
                MetricValue v = c.metrics().get(lm.metric());
                // 3 significant digits on the page (the CSV keeps 6), so that the table fits beside the figures
                h.append("<td>").append(v == null || v.value() == null ? "&ndash;" : io.degen.verdict.Verdicts.format(v.value())
                        + (v.se() == null || !Double.isFinite(v.se()) ? "" : " &plusmn; " + io.degen.verdict.Verdicts.format(v.se()))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n<h2>Figures</h2>\n");
        for (String[] f : figures) {
            h.append("<figure>");
            if (formats.contains("png")) h.append("<img src=\"").append(f[0]).append(".png\" alt=\"").append(esc(f[1])).append("\">");
            else h.append("<img src=\"").append(f[0]).append(".svg\" alt=\"").append(esc(f[1])).append("\">");
            h.append("<figcaption>").append(esc(f[1]));
            if (formats.contains("svg")) h.append(" (<a href=\"").append(f[0]).append(".svg\">SVG</a>)");
            h.append("</figcaption></figure>\n");
        }
        if (!notes.isEmpty()) {
            h.append("<h2>Notes</h2>\n<ul>");
            for (String n : notes) h.append("<li>").append(esc(n)).append("</li>");
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }
}
