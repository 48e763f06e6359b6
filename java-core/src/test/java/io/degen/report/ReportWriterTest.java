package io.degen.report;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.pipeline.Experiment;
import io.degen.pipeline.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.degen.plan.TinySpecs.flipflop;
import static io.degen.plan.TinySpecs.list;
import static io.degen.plan.TinySpecs.with;
import static org.junit.jupiter.api.Assertions.*;

class ReportWriterTest {
    @Test void writesHtmlPngSvgAndOneCsvRowPerCondition(@TempDir Path out) throws Exception {
        Map<String, Object> spec = with(flipflop(), "control", "nuclear", list(0, 1e-3, 1e-2));
        with(spec, "train", "threshold", 10); // converge at once, so every level has data
        with(spec, "train", "patience", 0);
        Plan plan = ExperimentSpec.fromMap(spec).compile();
        try (Backend be = Backends.create("java")) {
            Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, be, new PrintStream(new ByteArrayOutputStream(), true));
        }
        Map<String, Object> r = ReportWriter.write(out);
        Path rep = out.resolve("report");
        String html = Files.readString(rep.resolve("index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("conditions.csv"));
        List<String> csv = Files.readAllLines(rep.resolve("conditions.csv"));
        assertEquals(1 + 3, csv.size());
        assertTrue(csv.get(0).startsWith("condition_id,nuclear,networks,converged,not_converged,diverged,behaviour_sd_ood,behaviour_sd_ood_se"), csv.get(0));
        for (int i = 1; i < csv.size(); i++) assertTrue(csv.get(i).startsWith(plan.conditions().get(i - 1).id() + ","));
        for (String stem : List.of("loss-curves", "share-converged", "knob-nuclear-behaviour_sd_ood", "knob-nuclear-dynamics_dsa",
                "knob-nuclear-weights_pif", "dsa-mds", "matrix-dsa-0", "matrix-dsa-2", "matrix-pif-1")) {
            assertTrue(Files.size(rep.resolve(stem + ".png")) > 1000, stem);
            String svg = Files.readString(rep.resolve(stem + ".svg"));
            assertTrue(svg.contains("<svg"), stem);
            assertTrue(html.contains(stem + ".png"));
        }
        @SuppressWarnings("unchecked") List<String> figs = (List<String>) r.get("figures");
        assertTrue(figs.contains("loss-curves.svg"));
        assertTrue(figs.contains("knob-nuclear-weights_pif.png"), "every level has a figure: " + figs);
        assertTrue(csv.get(1).split(",").length > 10);
        assertFalse(csv.get(1).split(",")[6].isEmpty(), "behaviour_sd_ood filled: " + csv.get(1));
        assertEquals(3, r.get("conditions"));
        // the report explains itself: what each level measures, what the error bars are, n and the DSA null
        assertTrue(html.contains("How to read this report"));
        assertTrue(html.contains("0 means every network generalises identically"));
        assertTrue(html.contains("Error bars: ±1 standard error over networks"));
        assertTrue(html.contains("same-network null"));
        assertTrue(html.contains("img{max-width:100%"), "figures never wider than the page");
        // the figures as charts (SVG text is drawn as outlines, so it cannot be searched)
        io.degen.store.StoreLayout layout = io.degen.store.StoreLayout.at(out);
        List<ReportWriter.Cond> conds = new java.util.ArrayList<>();
        List<KnobFigures.Point> points = new java.util.ArrayList<>();
        for (Plan.Condition c : plan.conditions()) {
            var a = io.degen.store.MetricsFiles.read(layout, c.id());
            Map<String, io.degen.degeneracy.MetricValue> m = new java.util.LinkedHashMap<>();
            for (var v : a.metrics()) m.put(v.metric(), v);
            conds.add(new ReportWriter.Cond(c.index(), c.id(), c.values(), c.runs().stream().map(x -> x.id()).toList(), a, m));
            points.add(new KnobFigures.Point(c.index(), Map.of(), a, m.get("dynamics_dsa").value(), m.get("dynamics_dsa").se()));
        }
        var dsa = KnobFigures.chart(KnobFigures.LEVELS.get(1), "nuclear", List.of(0, 1e-3, 1e-2), points);
        assertTrue(dsa.getTitle().contains("(converged networks: 2, 2, 2)"), dsa.getTitle());
        var long4 = KnobFigures.chart(KnobFigures.LEVELS.get(1), "a-rather-long-knob-name.with-a-path", List.of(0, 1e-3, 1e-2), points);
        assertTrue(long4.getWidth() >= KnobFigures.titleWidth(long4, long4.getTitle()) + 160 && long4.getWidth() > 640,
                "a long title widens its figure instead of being clipped: " + long4.getWidth());
        assertEquals(640, Math.min(640, dsa.getWidth()));
        assertTrue(dsa.getSeriesMap().containsKey("same-network null"), "the null is drawn: " + dsa.getSeriesMap().keySet());
        assertTrue(dsa.getSeriesMap().containsKey("mean ± SE"));
        assertEquals(2 * 3, dsa.getSeriesMap().get("mean ± SE: networks").getXData().length, "one point per network");
        assertTrue(dsa.getSeriesMap().keySet().stream().noneMatch(k -> k.startsWith("{")), "no JSON as a legend label");
        var loss = ReportWriter.lossChart(io.degen.store.Store.at(out), conds);
        assertTrue(loss.getSeriesMap().containsKey("stop threshold 10.0"), loss.getSeriesMap().keySet().toString());
        assertEquals(3 + 1, loss.getSeriesMap().values().stream().filter(x -> x.isShowInLegend()).count(), "one legend entry per condition and the threshold");
    }

    @Test void tickLabelsShareTheirDecimalsAndConditionsReadAsValues() {
        var f = Charts.ticks(0.08, 0.1);
        assertEquals("0.080", f.apply(0.08));
        assertEquals("0.100", f.apply(0.1));
        assertEquals("4.5e-04", Charts.ticks(1e-4, 5e-4).apply(4.5e-4));
        assertEquals("12", Charts.ticks(0, 100).apply(12.3));
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("task.channels", 2);
        values.put("nuclear", 0.001);
        assertEquals("task.channels = 2, nuclear = 0.001", Charts.label(values));
        assertEquals(0.0222, MatrixFigures.round3(0.022219780580697263, false), 0.0);
        assertEquals(0.272, MatrixFigures.round3(0.2716802630342117, true), 0.0);
    }

    @Test void aTrainFolderIsToldHowToGetAReport(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("runs"));
        var e = assertThrows(IllegalArgumentException.class, () -> io.degen.pipeline.Experiment.report(dir));
        assertTrue(e.getMessage().contains("written by 'degen train'") && e.getMessage().contains("degen degeneracy"), e.getMessage());
    }

    @Test void aDirectoryWithoutPlanIsRejected(@TempDir Path out) {
        var e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(out));
        assertTrue(e.getMessage().contains("no plan.json"));
    }
}
