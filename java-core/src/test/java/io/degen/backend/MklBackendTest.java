package io.degen.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MKL-specific behaviour beyond the shared {@link BackendContractTest}. */
class MklBackendTest {
    private static MklBackend mkl;

    @BeforeAll
    static void load() {
        String reason = Backends.unavailableReason("mkl");
        assumeTrue(reason == null, () -> "mkl skipped: " + reason);
        mkl = (MklBackend) Backends.create("mkl");
    }

    @AfterAll
    static void done() {
        if (mkl != null) mkl.close();
    }

    @Test
    void nameVersionAndThreads() {
        assertEquals("mkl", mkl.name());
        assertTrue(mkl.mklVersion().contains("2025"), mkl.mklVersion());
        int expected = MklBackend.threadsFromEnv(System.getenv(MklBackend.THREADS_ENV));
        assertEquals(expected, mkl.requestedThreads());
        assertEquals(expected, mkl.threads(), "MKL thread count after construction");
    }

    @Test
    void threadsEnvParsing() {
        assertEquals(1, MklBackend.threadsFromEnv(null));
        assertEquals(1, MklBackend.threadsFromEnv(" "));
        assertEquals(4, MklBackend.threadsFromEnv(" 4 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MklBackend.threadsFromEnv("0"));
        assertTrue(e.getMessage().contains("DEGEN_MKL_THREADS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MklBackend.threadsFromEnv("many"));
    }

    @Test
    void autoPicksMklWhenItLoads() {
        try (Backend b = Backends.create("auto")) {
            assertEquals("mkl", b.name());
        }
    }

    @Test
    void closeFreesOffHeapMemoryAndUseAfterCloseFailsCleanly() {
        long before = Pointer.totalBytes();
        Buf b = mkl.alloc(DType.F64, 1 << 20);
        assertTrue(Pointer.totalBytes() - before >= 8L << 20, "8 MiB should be tracked off-heap");
        b.close();
        assertTrue(Pointer.totalBytes() - before < 8L << 20, "close must free the memory");
        b.close();  // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mkl.fill(b, 0, 4, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void boundsAndDtypesAreChecked() {
        try (Buf f = mkl.alloc(DType.F32, 16); Buf d = mkl.alloc(DType.F64, 16)) {
            assertThrows(IndexOutOfBoundsException.class, () -> mkl.tanh(f, 10, f, 0, 7));
            assertThrows(IndexOutOfBoundsException.class, () -> mkl.download(f, 0, new double[4], 0, 5));
            // 4x4 with lda 5 needs 19 elements.
            assertThrows(IndexOutOfBoundsException.class,
                    () -> mkl.gemm(false, false, 4, 4, 4, 1, f, 0, 5, f, 0, 4, 0, f, 0, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mkl.gemm(false, false, 2, 2, 3, 1, f, 0, 2, f, 0, 2, 0, f, 0, 2));
            assertTrue(e.getMessage().contains("leading dimension"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> mkl.mul(f, 0, d, 0, f, 0, 4));
            assertTrue(e.getMessage().contains("dtype"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class,
                    () -> mkl.gemmBatched(false, false, 2, 2, 2, 1, f, 0, 2, 4, f, 0, 2, 4, 0, f, 0, 2, 4, 5));
        }
    }

    @Test
    void decompositionShapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> mkl.svd(3, 3, new double[8]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mkl.lstsq(2, 3, 1, new double[6], new double[2]));
        assertTrue(e.getMessage().contains("rows >= cols"), e.getMessage());
        ArithmeticException rank = assertThrows(ArithmeticException.class,
                () -> mkl.lstsq(3, 2, 1, new double[] {1, 2, 2, 4, 3, 6}, new double[] {1, 2, 3}));
        assertTrue(rank.getMessage().contains("rank deficient"), rank.getMessage());
    }

    /** Networks train on separate threads while sharing read-only data: offsets must not race. */
    @Test
    void concurrentGemmsOnASharedBuffer() throws Exception {
        int m = 16, n = 24, k = 32, threads = 4, reps = 300;
        Random r = new Random(5);
        float[] shared = new float[4 * m * k];
        for (int i = 0; i < shared.length; i++) shared[i] = (float) r.nextGaussian();
        float[] w = new float[k * n];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        JavaBackend java = new JavaBackend();
        Buf jx = java.upload(shared), jw = java.upload(w);
        double[][] expected = new double[4][];
        for (int s = 0; s < 4; s++) {
            Buf c = java.alloc(DType.F32, m * n);
            java.gemm(false, false, m, n, k, 1, jx, s * m * k, k, jw, 0, n, 0, c, 0, n);
            expected[s] = java.toDoubles(c);
        }
        try (Buf x = mkl.upload(shared); Buf wb = mkl.upload(w)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int slice = t;
                    fs.add(pool.submit(() -> {
                        try (Buf c = mkl.alloc(DType.F32, m * n)) {
                            for (int rep = 0; rep < reps; rep++) {
                                int s = (slice + rep) % 4;
                                mkl.gemm(false, false, m, n, k, 1, x, s * m * k, k, wb, 0, n, 0, c, 0, n);
                                double[] got = mkl.toDoubles(c);
                                for (int i = 0; i < got.length; i++) {
                                    if (Math.abs(got[i] - expected[s][i]) > 1e-4 * (1 + Math.abs(expected[s][i]))) return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : fs) assertTrue(f.get(), "a thread saw a wrong product");
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void unavailableReasonIsClearWhenNotBuiltIn() {
        String reason = Backends.unavailableReason("cuda");
        // On a CPU machine (or without the cuda engine on the classpath) cuda must say why.
        if (reason != null) assertFalse(reason.isBlank());
    }
}
