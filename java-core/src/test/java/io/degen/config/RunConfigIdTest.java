package io.degen.config;

import io.degen.backend.DType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Run ids: trained runs keep the ids existing stores hold; imported networks are told apart by their weights. */
class RunConfigIdTest {
    static final String SHA_A = "a".repeat(64), SHA_B = "0123456789abcdef".repeat(4);

    static RunConfig trained() {
        return new RunConfig(Map.of("type", "flipflop", "channels", 2), ModelConfig.standard(8), TrainConfig.defaults(), 3);
    }

    @Test
    void trainedRunsKeepTheIdsOfExistingStores() {
        // computed before imported networks got their weight hash: stored networks must still verify
        assertEquals("c98e817a578a9c38", trained().id());
        assertEquals("25b6c130e66e0e66", trained().conditionId());
        assertFalse(trained().toMap().containsKey(RunConfig.IMPORTED_WEIGHTS));
        assertNull(trained().importedWeights());
    }

    @Test
    void importedWeightsChangeTheIdButNotTheCondition() {
        RunConfig base = new RunConfig(Map.of("type", "flipflop", "channels", 2), ModelConfig.standard(8),
                TrainConfig.defaults().withDtype(DType.F64), 0);
        RunConfig a = base.withImportedWeights(SHA_A), b = base.withImportedWeights(SHA_B);
        assertNotEquals(base.id(), a.id());
        assertNotEquals(a.id(), b.id());
        assertEquals(a.id(), base.withImportedWeights(SHA_A).id(), "deterministic");
        assertEquals(base.conditionId(), a.conditionId());
        assertEquals(a.conditionId(), b.conditionId());
        assertEquals(SHA_A, a.toMap().get(RunConfig.IMPORTED_WEIGHTS));
        assertEquals(SHA_A, a.withSeed(7).importedWeights(), "another seed keeps the weights");
    }

    @Test
    void aStoredImportedConfigurationReadsBackToTheSameId() {
        RunConfig a = trained().withImportedWeights(SHA_B);
        RunConfig back = RunConfig.fromMap(io.degen.util.Json.MAPPER.convertValue(a.toMap(), Map.class));
        assertEquals(a.id(), back.id());
        assertEquals(SHA_B, back.importedWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trained().withImportedWeights("abc"));
        assertTrue(e.getMessage().contains(RunConfig.IMPORTED_WEIGHTS) && e.getMessage().contains("'abc'"), e.getMessage());
    }
}
