package io.degen.store;

import io.degen.backend.JavaBackend;
import io.degen.config.RunConfig;
import io.degen.train.TrainResult;
import io.degen.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RunArtifactsTest {
    static RunConfig tiny() {
        return new RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 10), io.degen.config.ModelConfig.standard(6),
                io.degen.config.TrainConfig.defaults().withBatch(4).withStepsPerEpoch(2).withMaxEpochs(1), 3);
    }

    @Test
    void writesVerifiesAndRefusesCorruptOrTruncatedFiles(@TempDir Path dir) throws Exception {
        RunConfig r = tiny();
        TrainResult res = new Trainer(new JavaBackend()).train(r, null);
        Path d = RunArtifacts.write(dir, r, res);
        var st = RunArtifacts.read(d);
        assertEquals(r.id(), st.id());
        assertEquals(r, st.config());
        assertArrayEquals(res.finalWeights().get("weight_hh_l0").data(), st.weights().get("weight_hh_l0").data());
        assertTrue(RunArtifacts.isComplete(dir, r.id()));

        byte[] w = Files.readAllBytes(d.resolve(RunArtifacts.WEIGHTS));
        Files.write(d.resolve(RunArtifacts.WEIGHTS), java.util.Arrays.copyOf(w, w.length / 2));
        var e = assertThrows(RunArtifacts.CorruptArtifactException.class, () -> RunArtifacts.read(d));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertFalse(RunArtifacts.isComplete(dir, r.id()));

        // Rewriting replaces the corrupt network.
        RunArtifacts.write(dir, r, res);
        assertTrue(RunArtifacts.isComplete(dir, r.id()));
    }

    @Test
    void staleTemporariesAreRemovedAndFinishedRunsKept(@TempDir Path dir) throws Exception {
        RunConfig r = tiny();
        RunArtifacts.write(dir, r, new Trainer(new JavaBackend()).train(r, null));
        Path stale = Files.createDirectories(dir.resolve(".tmp-deadbeef-123"));
        Files.writeString(stale.resolve("weights.npz"), "half");
        assertEquals(1, RunArtifacts.removeStaleTemporaries(dir));
        assertFalse(Files.exists(stale));
        assertTrue(RunArtifacts.isComplete(dir, r.id()));
    }
}
