package io.degen.degeneracy;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.MeasureOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Networks too narrow for the asked rank are refused with the numbers, never fitted at a lower rank. */
class DsaRankTest {
    @Test void aRankAboveTheEmbeddingWidthIsRefusedNotLowered() {
        try (Backend be = Backends.create("java")) {
            Analysis a = new Analysis(be, be, MeasureOptions.defaults());  // 5 delays, rank 20
            assertEquals(20, a.dsaParams(4).rank(), "5 x 4 = 20 fits exactly");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.dsaParams(3));
            assertEquals("DSA rank 20 exceeds n-delays x units = 5 x 3 = 15 for networks of 3 units: ask for a rank of at most 15", e.getMessage());
        }
    }
}
