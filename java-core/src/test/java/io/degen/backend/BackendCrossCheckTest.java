package io.degen.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-check harness itself: it agrees with itself exactly, and each planted engine bug (a
 * {@link Faulty} engine: the Java engine with one fault) makes it fail, including the ones the
 * earlier harness (errors over max(1, |ref|), outputs not pre-filled) let through.
 */
class BackendCrossCheckTest {

    @Test
    void javaAgainstJavaIsExactAndCoversTheNewCases() {
        List<BackendCrossCheck.Result> rs = BackendCrossCheck.run(new JavaBackend(), new JavaBackend());
        for (BackendCrossCheck.Result r : rs) assertEquals(0.0, r.maxAbs(), r.toString());
        for (String op : new String[] {"transpose(37x53)", "gemmAll(6 networks)[5]", "gemmAll(mixed shapes)[2]", "gemm(NN,k=0,beta=0.5)",
                "gemm(TN,k=0,beta=0 over NaN)", "tanh[n>grid-stride]", "sumAbs[n>grid-stride]", "adam(v)[n>grid-stride]",
                "threads(4)[3] params", "fill[n>grid-stride]"}) {
            assertTrue(rs.stream().anyMatch(r -> r.op().equals(op) && r.dtype() == DType.F32), "no comparison " + op);
            assertTrue(rs.stream().anyMatch(r -> r.op().equals(op) && r.dtype() == DType.F64), "no comparison " + op);
        }
    }

    @Test
    void errorsAreRelativeWithoutAFloor() {
        // a small-valued output written as zeros: max(1, |ref|) would have called this 2e-5
        BackendCrossCheck.Result r = BackendCrossCheck.compare("x", DType.F32, new double[] {2e-5, -1e-5}, new double[] {0, 0});
        assertFalse(r.ok(), r.toString());
        assertEquals(1.0, r.normRel(), 1e-12);
        // NaN on one side only is an infinite error; on both sides it is agreement
        assertFalse(BackendCrossCheck.compare("x", DType.F64, new double[] {1, Double.NaN}, new double[] {1, 0}).ok());
        assertTrue(BackendCrossCheck.compare("x", DType.F64, new double[] {1, Double.NaN}, new double[] {1, Double.NaN}).ok());
        // one wrong element among many still fails (max element error over max |ref|)
        double[] ref = new double[100_000], got = new double[100_000];
        for (int i = 0; i < ref.length; i++) ref[i] = got[i] = 1 + i % 7;
        got[77_777] += 1e-3;
        assertFalse(BackendCrossCheck.compare("x", DType.F32, ref, got).ok());
    }

    @ParameterizedTest
    @EnumSource(Faulty.Fault.class)
    void everyPlantedBugFails(Faulty.Fault fault) {
        List<BackendCrossCheck.Result> rs = BackendCrossCheck.run(new JavaBackend(), new Faulty(fault));
        List<String> failed = BackendCrossCheck.failures(rs);
        assertFalse(failed.isEmpty(), fault + " went unnoticed");
    }
}
