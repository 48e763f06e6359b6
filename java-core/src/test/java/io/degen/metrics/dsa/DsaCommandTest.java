package io.degen.metrics.dsa;

import io.degen.cli.Args;
import io.degen.cli.BenchDsaCommand;
import io.degen.cli.Command;
import io.degen.cli.MetricDsaCommand;
import io.degen.cli.MetricDsaMatrixCommand;
import io.degen.cli.MetricHavokCommand;
import io.degen.cli.UsageException;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DSA CLI commands, run in-process. */
class DsaCommandTest {
    @TempDir Path tmp;

    static String fixture(String name) throws Exception {
        return Path.of(DsaCommandTest.class.getResource("/fixtures/dsa/" + name + ".npy").toURI()).toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(Command c, String... argv) throws Exception {
        return (Map<String, Object>) c.run(new Args(List.of(argv), c.flags()));
    }

    @Test
    void havokPrintsEigenvaluesAndEmitsOperator() throws Exception {
        Path a = tmp.resolve("A.npy");
        Map<String, Object> out = run(new MetricHavokCommand(), fixture("tanh_a"), "--n-delays", "4", "--rank", "8",
                "--emit-operator", a.toString());
        assertEquals(8, out.get("rank"));
        @SuppressWarnings("unchecked") List<double[]> ev = (List<double[]>) out.get("eigenvalues");
        assertEquals(8, ev.size());
        for (int i = 1; i < ev.size(); i++) {
            assertTrue(Math.hypot(ev.get(i - 1)[0], ev.get(i - 1)[1]) >= Math.hypot(ev.get(i)[0], ev.get(i)[1]) - 1e-12);
        }
        NdArray op = Npy.read(a);
        assertEquals(8, op.dim(0));
        assertEquals(8, op.dim(1));
    }

    @Test
    void dsaEmitsTransformThatReproducesTheDistance() throws Exception {
        Path c = tmp.resolve("C.npy");
        Map<String, Object> out = run(new MetricDsaCommand(), fixture("tanh_a"), fixture("tanh_b"), "--n-delays", "4",
                "--rank", "8", "--score", "euclidean", "--emit-transform", c.toString());
        assertEquals("euclidean", out.get("score"));
        double d = (double) out.get("distance");
        NdArray cm = Npy.read(c), a = Npy.read(tmp.resolve("C.A.npy")), b = Npy.read(tmp.resolve("C.B.npy"));
        int n = 8;
        double e = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0; // (C B C^T)_ij
                for (int k = 0; k < n; k++) for (int l = 0; l < n; l++) s += cm.data()[i * n + k] * b.data()[k * n + l] * cm.data()[j * n + l];
                double diff = a.data()[i * n + j] - s;
                e += diff * diff;
            }
        }
        assertEquals(d, Math.sqrt(e), 1e-9);
        Map<String, Object> ang = run(new MetricDsaCommand(), fixture("tanh_a"), fixture("tanh_b"), "--n-delays", "4", "--rank", "8");
        assertEquals("angular", ang.get("score"));
        assertEquals(2 * Math.asin(d / 2), (double) ang.get("distance"), 1e-9);
    }

    @Test
    void matrixCommand() throws Exception {
        Map<String, Object> out = run(new MetricDsaMatrixCommand(), fixture("tanh_a"), fixture("tanh_a_rotated"), fixture("linear_c"),
                "--n-delays", "4", "--rank", "8", "--threads", "2");
        double[][] m = (double[][]) out.get("matrix");
        assertEquals(3, m.length);
        assertTrue(m[0][1] < 0.01);
        assertEquals((m[0][1] + m[0][2] + m[1][2]) / 3, (double) out.get("mean"), 1e-12);
    }

    @Test
    void benchRunsSmall() throws Exception {
        Map<String, Object> out = run(new BenchDsaCommand(), "--networks", "3", "--units", "10", "--trials", "4", "--time", "30",
                "--n-delays", "2", "--rank", "6", "--threads", "1");
        assertEquals(3, ((Number) out.get("pairs")).intValue());
        assertTrue((double) out.get("seconds") >= (double) out.get("fit_seconds"));
        assertTrue((double) out.get("ms_per_pair") > 0);
        assertEquals("java", out.get("backend"));
        @SuppressWarnings("unchecked") Map<String, Object> machine = (Map<String, Object>) out.get("machine");
        assertEquals(io.degen.bench.Machine.current().asMap(), machine);
        // An engine that is not one: rejected before any work, naming the value.
        UsageException e = assertThrows(UsageException.class, () -> run(new BenchDsaCommand(), "--networks", "3", "--backend", "gpu9"));
        assertTrue(e.getMessage().contains("--backend") && e.getMessage().contains("'gpu9'"), e.getMessage());
    }

    @Test
    void usageErrorsNameTheOption() throws Exception {
        String x = fixture("tanh_a");
        UsageException e = assertThrows(UsageException.class, () -> run(new MetricDsaCommand(), x, x, "--score", "cosine"));
        assertTrue(e.getMessage().contains("--score"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricHavokCommand(), x, "--rank", "0"));
        assertTrue(e.getMessage().contains("--rank"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricHavokCommand(), x, "--n-delays", "0"));
        assertTrue(e.getMessage().contains("--n-delays"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricDsaCommand(), x));
        assertTrue(e.getMessage().contains("Y.npy"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricDsaMatrixCommand(), x));
        assertTrue(e.getMessage().contains("at least two"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricHavokCommand(), x, "--rnak", "3"));
        assertTrue(e.getMessage().contains("--rnak"), e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> run(new MetricHavokCommand(), x, "--n-delays", "2", "--rank", "13"));
        assertTrue(big.getMessage().contains("rank 13") && big.getMessage().contains(x), big.getMessage());
    }
}
