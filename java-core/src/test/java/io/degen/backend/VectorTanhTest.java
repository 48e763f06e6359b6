package io.degen.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VectorTanhTest {
    @Test
    void matchesMathTanhToFloatPrecisionEverywhere() {
        int n = 200_003;
        float[] x = new float[n], y = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            double mag = Math.pow(10, -8 + 10 * r.nextDouble());
            x[i] = (float) (r.nextBoolean() ? mag : -mag);
        }
        x[0] = 0f; x[1] = -0f; x[2] = 0.25f; x[3] = -0.25f; x[4] = 100f; x[5] = -1e30f;
        VectorTanh.apply(x, 0, y, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double t = Math.tanh(x[i]);
            double err = Math.abs(y[i] - t) / Math.max(Math.abs(t), 1e-30);
            worst = Math.max(worst, err);
            assertEquals(VectorTanh.scalar(x[i]), y[i], Math.ulp(y[i]) * 2, "scalar and vector paths agree at " + x[i]);
        }
        assertTrue(worst < 2e-7, "worst relative error " + worst);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[4]);
        assertEquals(-1f, y[5]);
    }
}
