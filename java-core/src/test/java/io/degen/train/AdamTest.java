package io.degen.train;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.io.NdArray;
import io.degen.testutil.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {
    @Test
    void threeStepsEqualTorchOptimAdam() {
        Backend be = new JavaBackend();
        NdArray p0 = Fixtures.npy("adam", "p0"), grads = Fixtures.npy("adam", "grads"), after = Fixtures.npy("adam", "p_after");
        int n = p0.size();
        Buf p = be.upload(p0.data()), g = be.alloc(DType.F64, n);
        Adam adam = new Adam(be, DType.F64, n, Fixtures.expected("adam").get("lr").asDouble());
        for (int s = 0; s < grads.dim(0); s++) {
            be.write(g, 0, grads.data(), s * n, n);
            adam.step(p, g);
        }
        double err = Fixtures.maxRelError(be.toDoubles(p), after.data(), 1e-8);
        assertTrue(err < 1e-12, "relative error " + err);
    }

    @Test
    void plateauHalvesAfterPatienceBadEpochs() {
        PlateauScheduler s = new PlateauScheduler(0.5, 2);
        double lr = 1.0;
        lr = s.step(1.0, lr);            // best = 1
        lr = s.step(1.0, lr);            // bad 1
        lr = s.step(1.0, lr);            // bad 2
        assertTrue(lr == 1.0);
        lr = s.step(0.99995, lr);        // not a 1e-4 relative improvement: bad 3 > 2 -> halve
        assertTrue(lr == 0.5, "lr " + lr);
        lr = s.step(0.5, lr);            // improvement resets
        assertTrue(lr == 0.5);
    }
}
