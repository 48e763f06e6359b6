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
                "knob-nuclear-weights_pif", "dsa-mds")) {
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
    }

    @Test void aDirectoryWithoutPlanIsRejected(@TempDir Path out) {
        var e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(out));
        assertTrue(e.getMessage().contains("no plan.json"));
    }
}
