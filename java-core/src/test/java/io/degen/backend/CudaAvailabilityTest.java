package io.degen.backend;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA engine through {@link Backends} only, so this compiles without the CUDA bindings (the
 * default build) and skips the device comparison on machines without an NVIDIA GPU.
 */
class CudaAvailabilityTest {

    private static boolean cudaClassPresent() {
        try {
            Class.forName("io.degen.backend.cuda.CudaBackend", false, CudaAvailabilityTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void unavailableCudaGivesAReasonThatNamesCuda() {
        String reason = Backends.unavailableReason("cuda");
        if (!cudaClassPresent()) assertNotNull(reason, "cuda classes are absent, so cuda cannot be available");
        if (reason != null) {
            assertTrue(reason.toLowerCase(Locale.ROOT).contains("cuda"), "reason should name cuda: " + reason);
            // Asking twice gives the same answer (a failed native load is remembered, not retried into a different error).
            assertEquals(reason, Backends.unavailableReason("cuda"));
        }
    }

    @Test
    void crossCheckHarnessAgreesWithItself() {
        List<BackendCrossCheck.Result> rs = BackendCrossCheck.run(new JavaBackend(), new JavaBackend());
        assertTrue(rs.size() > 30, "expected every op in both dtypes, got " + rs.size());
        for (BackendCrossCheck.Result r : rs) assertEquals(0.0, r.maxAbs(), r.toString());
    }

    @Test
    void cudaMatchesJavaOnEveryOp() {
        String reason = Backends.unavailableReason("cuda");
        assumeTrue(reason == null, () -> "no GPU engine here: " + reason);
        try (Backend be = Backends.create("cuda")) {
            assertEquals("cuda", be.name());
            List<BackendCrossCheck.Result> rs = BackendCrossCheck.run(new JavaBackend(), be);
            for (BackendCrossCheck.Result r : rs) assertTrue(r.ok(), r.toString());
        }
    }
}
