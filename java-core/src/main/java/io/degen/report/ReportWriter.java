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
    private static final String[][] LEVEL_METRICS = {
            {"behaviour_sd_ood", "behaviour: SD of OOD loss"},
            {"dynamics_dsa", "dynamics: mean DSA distance"},
            {"weights_pif", "weights: mean d_PIF"},
            {"weights_pif_per_param", "weights: mean d_PIF / n^2 (compares widths)"},
            {"weight_change", "feature learning: |W_T - W_0| (recurrent)"},
            {"kernel_alignment", "feature learning: NTK kernel alignment"}};

    private ReportWriter() { }

    private record Cond(int index, String id, Map<String, Object> values, List<String> runs, ConditionResult analysis,
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
        if (!Files.isRegularFile(planFile)) throw new IllegalArgumentException(dir + " is not an experiment store (no plan.json; run 'degen run' first)");
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
            boolean numeric = levels.stream().allMatch(v -> v instanceof Number);
            for (String[] lm : LEVEL_METRICS) {
                if (conds.stream().noneMatch(c -> c.metrics().containsKey(lm[0]))) {
                    notes.add(lm[1] + " is not available: no figure against " + axis);
                    continue;
                }
                XYChart ch = new XYChartBuilder().width(640).height(440).title(lm[1] + " vs " + axis)
                        .xAxisTitle(axis + (numeric ? "" : " (" + labels(levels) + ")")).yAxisTitle(lm[0]).build();
                ch.getStyler().setMarkerSize(7);
                Map<String, List<double[]>> series = new LinkedHashMap<>();
                for (Cond c : conds) {
                    MetricValue v = c.metrics().get(lm[0]);
                    if (v == null || v.value() == null || !Double.isFinite(v.value())) continue;
                    Map<String, Object> others = new LinkedHashMap<>(c.values());
                    Object x = others.remove(axis);
                    String key = others.isEmpty() ? lm[0] : Json.line(others);
                    double xv = numeric ? ((Number) x).doubleValue() : levels.indexOf(x);
                    double se = v.se() == null || !Double.isFinite(v.se()) ? 0 : v.se();
                    series.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {xv, v.value(), se});
                }
                int si = 0;
                for (var e : series.entrySet()) {
                    List<double[]> pts = e.getValue();
                    pts.sort((p, q) -> Double.compare(p[0], q[0]));
                    XYSeries s = ch.addSeries(e.getKey(), col(pts, 0), col(pts, 1), col(pts, 2));
                    s.setLineColor(Charts.colour(si));
                    s.setMarkerColor(Charts.colour(si));
                    s.setMarker(SeriesMarkers.CIRCLE);
                    si++;
                }
                if (series.isEmpty()) continue;
                String stem = "knob-" + slug(axis) + "-" + lm[0];
                Charts.save(ch, out, stem, formats);
                figures.add(new String[] {stem, lm[1] + " against " + axis + " (error bars: standard error)"});
            }
        }

        // Classical MDS of the joint DSA matrix over all conditions (each network one point).
        XYChart mds = new XYChartBuilder().width(640).height(520).title("DSA distances, classical MDS").xAxisTitle("MDS 1").yAxisTitle("MDS 2").build();
        mds.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        mds.getStyler().setMarkerSize(9);
        int mdsSeries = 0;
        JointDynamics joint = MetricsFiles.readJoint(layout);
        if (joint != null) {
            double[][] d = finite(joint.matrix());
            List<String> jc = joint.conditions() == null ? List.of() : joint.conditions();
            if (d != null && d.length >= 3 && jc.size() == d.length) {
                io.degen.util.Mat xy = io.degen.metrics.similarity.ClassicalMds.embed2d(d);
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
        XYChart loss = new XYChartBuilder().width(720).height(460).title("Training loss").xAxisTitle("epoch").yAxisTitle("loss").build();
        loss.getStyler().setYAxisLogarithmic(true);
        loss.getStyler().setMarkerSize(0);
        int nCurves = 0;
        for (Cond c : conds) {
            for (String rid : c.runs()) {
                Path ld = layout.run(rid).resolve(RunArtifacts.LOSS);
                if (!Files.isRegularFile(ld)) continue;
                double[] y = io.degen.io.Npy.read(ld).data();
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < y.length; i++) if (y[i] > 0 && Double.isFinite(y[i])) pts.add(new double[] {i + 1, y[i]});
                if (pts.isEmpty()) continue;
                XYSeries s = loss.addSeries(rid + " " + label(c), col(pts, 0), col(pts, 1));
                s.setLineColor(Charts.colour(c.index()));
                s.setMarker(SeriesMarkers.NONE);
                nCurves++;
            }
        }
        if (nCurves > 0) {
            loss.getStyler().setLegendVisible(nCurves <= 12);
            Charts.save(loss, out, "loss-curves", formats);
            figures.add(new String[] {"loss-curves", "Training loss per epoch of every network (colour: condition)"});
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
        AtomicFiles.writeString(out.resolve("runs.csv"), RunsCsv.of(Store.at(dir), conds.stream().map(c -> new RunsCsv.Condition(c.id(), c.values(), c.runs(), c.analysis())).toList(), axes));
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

    private static String labels(List<Object> levels) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) s.add(i + "=" + levels.get(i));
        return String.join(", ", s);
    }

    private static String label(Cond c) { return c.values().isEmpty() ? c.id() : Json.line(c.values()); }

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
                        + "td,th{border:1px solid #ccc;padding:3px 7px;font-size:90%}figure{margin:1.5em 0}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>spec <code>").append(esc(plan.path("name").asText())).append("</code>, hash <code>")
                .append(esc(plan.path("spec_hash").asText())).append("</code>, ").append(conds.size()).append(" condition(s), ")
                .append(plan.path("runs").size()).append(" network(s). Data: <a href=\"conditions.csv\">conditions.csv</a> (one row per condition), "
                        + "<a href=\"runs.csv\">runs.csv</a> (one row per network); the full pairwise matrices are in <code>metrics/</code>.</p>\n");
        h.append(verdictSection);
        h.append("<h2>Conditions</h2>\n<table><tr><th>#</th><th>condition</th>");
        for (String a : axes) h.append("<th>").append(esc(a)).append("</th>");
        h.append("<th>converged</th>");
        for (String[] lm : LEVEL_METRICS) h.append("<th>").append(esc(lm[0])).append("</th>");
        h.append("</tr>\n");
        for (Cond c : conds) {
            h.append("<tr><td>").append(c.index()).append("</td><td><code>").append(c.id()).append("</code></td>");
            for (String a : axes) h.append("<td>").append(esc(String.valueOf(c.values().get(a)))).append("</td>");
            h.append("<td>").append(c.analysis() == null ? "" : c.analysis().converged() + " / " + c.analysis().networks()).append("</td>");
            for (String[] lm : LEVEL_METRICS) {
                MetricValue v = c.metrics().get(lm[0]);
                h.append("<td>").append(v == null ? "&ndash;" : fmt(v.value()) + (v.se() == null || !Double.isFinite(v.se()) ? "" : " &plusmn; " + fmt(v.se()))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>Figures</h2>\n");
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
