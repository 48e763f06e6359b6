package io.degen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.plan.TinySpecs;
import io.degen.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench study} on a tiny spec: a real store, phases that add up, a refused non-empty store. */
class BenchStudyTest {
    @Test
    void timesEveryPhaseOfARealStudy(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, Json.line(TinySpecs.flipflop()));
        Path out = dir.resolve("store");
        JsonNode r = PifCliTest.run(new BenchStudyCommand(), spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java");
        assertEquals(2, r.get("networks").asInt());
        assertEquals(2, r.get("trained").asInt());
        double total = r.get("seconds").asDouble(), sum = 0, shares = 0;
        for (String p : new String[] {"train", "measure", "report"}) {
            double s = r.get("phases").get(p).get("seconds").asDouble();
            assertTrue(s > 0, p + " " + s);
            sum += s;
            shares += r.get("phases").get(p).get("share").asDouble();
        }
        assertEquals(total, sum, 1e-6 * total + 1e-9);
        assertEquals(1.0, shares, 1e-9);
        assertEquals(3600.0 * 2 / total, r.get("networks_per_hour").asDouble(), 1e-9 * r.get("networks_per_hour").asDouble());
        assertTrue(Files.isRegularFile(out.resolve("report/index.html")), "the report was written");
        assertTrue(Files.list(out.resolve("metrics")).findAny().isPresent(), "the metrics were written");
        assertEquals(io.degen.bench.Machine.current().cpu(), r.get("machine").get("cpu").asText());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PifCliTest.run(new BenchStudyCommand(), spec.toString(), "--out", out.toString(), "--workers", "1"));
        assertTrue(e.getMessage().contains("--out") && e.getMessage().contains("not empty"), e.getMessage());
    }
}
