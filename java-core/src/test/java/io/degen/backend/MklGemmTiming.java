package io.degen.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Hand timing of java vs mkl, single-threaded; prints numbers and asserts nothing. Not a JMH
 * benchmark (no forks, crude warm-up). Off by default; run with
 * {@code mvn -q test -Dtest=MklGemmTiming -Ddegen.timing=true}.
 */
@EnabledIfSystemProperty(named = "degen.timing", matches = "true")
class MklGemmTiming {

    @Test
    void timeGemmAndTanh() {
        String reason = Backends.unavailableReason("mkl");
        assumeTrue(reason == null, () -> "mkl skipped: " + reason);
        try (Backend java = new JavaBackend(); MklBackend mkl = new MklBackend(1)) {
            System.out.println("MKL: " + MklBackend.mklVersion() + ", threads " + mkl.threads());
            System.out.println("GFLOP/s, java and mkl timed in alternating ~0.2 s batches: median (best) of 9");
            System.out.printf("%-6s %-3s %-12s %18s %18s%n", "dtype", "tr", "m x n x k", "java", "mkl");
            int[][] shapes = {{64, 128, 128}, {128, 128, 128}, {32, 64, 64}, {64, 256, 256}};
            // The Vector API kernel is only fast once C2 has compiled it: warm every path up first.
            for (int round = 0; round < 3; round++) {
                for (DType t : new DType[] {DType.F32, DType.F64}) {
                    for (int tr = 0; tr < 3; tr++) gflops(java, mkl, t, 64, 128, 128, tr == 2, tr == 1, 1);
                }
            }
            for (DType t : new DType[] {DType.F32, DType.F64}) {
                for (int[] s : shapes) {
                    for (int tr = 0; tr < (s[0] == 64 && s[1] == 128 ? 3 : 1); tr++) {
                        boolean tA = tr == 2, tB = tr == 1;
                        double[][] g = gflops(java, mkl, t, s[0], s[1], s[2], tA, tB, 9);
                        System.out.printf("%-6s %-3s %-12s %10.1f (%5.1f) %10.1f (%5.1f)%n", t,
                                (tA ? "T" : "N") + (tB ? "T" : "N"), s[0] + "x" + s[1] + "x" + s[2],
                                g[0][0], g[0][1], g[1][0], g[1][1]);
                    }
                }
            }
            for (int n : new int[] {8192, 1 << 20}) {
                System.out.printf("F32 tanh n=%d: java %.2f ns/elem, mkl %.2f ns/elem%n", n,
                        tanhNs(java, n), tanhNs(mkl, n));
            }
        }
    }

    private static Buf rand(Backend b, DType t, int n, Random r) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextGaussian();
        Buf x = b.alloc(t, n);
        b.write(x, 0, d, 0, n);
        return x;
    }

    /** {median, best} GFLOP/s for java then mkl, timed in alternation so load changes hit both. */
    private static double[][] gflops(Backend java, Backend mkl, DType t, int m, int n, int k, boolean tA, boolean tB,
                                      int samples) {
        Random r = new Random(1);
        Backend[] bs = {java, mkl};
        Buf[][] bufs = new Buf[2][];
        Runnable[] calls = new Runnable[2];
        int lda = tA ? m : k, ldb = tB ? k : n;
        for (int e = 0; e < 2; e++) {
            Backend be = bs[e];
            Buf a = rand(be, t, m * k, r), b = rand(be, t, k * n, r), c = be.alloc(t, m * n);
            bufs[e] = new Buf[] {a, b, c};
            calls[e] = () -> be.gemm(tA, tB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
        }
        int[] batch = new int[2];
        for (int e = 0; e < 2; e++) {
            long end = System.nanoTime() + 1_000_000_000L;
            int reps = 0;
            while (System.nanoTime() < end) { calls[e].run(); reps++; }
            batch[e] = Math.max(1, reps / 5);  // ~0.2 s per batch
        }
        double[][] g = new double[2][samples];
        for (int s = 0; s < samples; s++) {
            for (int e = 0; e < 2; e++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < batch[e]; i++) calls[e].run();
                g[e][s] = 2.0 * m * n * k * batch[e] / (System.nanoTime() - t0);
            }
        }
        for (Buf[] bb : bufs) for (Buf x : bb) x.close();
        double[][] out = new double[2][];
        for (int e = 0; e < 2; e++) {
            Arrays.sort(g[e]);
            out[e] = new double[] {g[e][samples / 2], g[e][samples - 1]};
        }
        return out;
    }

    private static double tanhNs(Backend be, int n) {
        Random r = new Random(2);
        try (Buf x = rand(be, DType.F32, n, r); Buf y = be.alloc(DType.F32, n)) {
            long end = System.nanoTime() + 1_000_000_000L;
            int reps = 0;
            while (System.nanoTime() < end) { be.tanh(x, 0, y, 0, n); reps++; }
            int batch = Math.max(1, reps / 8);
            double[] ns = new double[7];
            for (int s = 0; s < ns.length; s++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < batch; i++) be.tanh(x, 0, y, 0, n);
                ns[s] = (double) (System.nanoTime() - t0) / batch / n;
            }
            Arrays.sort(ns);
            return ns[ns.length / 2];
        }
    }
}
