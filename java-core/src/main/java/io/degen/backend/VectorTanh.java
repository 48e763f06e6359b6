package io.degen.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 tanh from IEEE add/mul/div only. The Vector API's own TANH runs Intel SVML once compiled
 * but a different Java fallback while interpreted, so results would depend on JIT warm-up (a seed
 * trained first or second in a JVM gave different weights). These operations round identically in
 * both modes. |x| < 0.25: odd Taylor series of tanh; otherwise (1 - e) / (1 + e) with
 * e = exp(-2|x|) from range reduction e = 2^k exp(r) and a degree-9 Taylor polynomial for exp(r).
 * Relative error is below 1e-7 (tested against Math.tanh).
 */
final class VectorTanh {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    /** 1.5 * 2^23: adding it rounds a float to an integer held in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = 0x4B400000;
    private static final float[] EXP_C = {1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040, 1f / 40320, 1f / 362880};
    private static final float[] TANH_C = {1f, -1f / 3, 2f / 15, -17f / 315, 62f / 2835, -1382f / 155925};

    private VectorTanh() { }

    static void apply(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FS.length()) tanh(FloatVector.fromArray(FS, x, xOff + i)).intoArray(y, yOff + i);
        for (; i < n; i++) y[yOff + i] = scalar(x[xOff + i]);
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector yv = ax.mul(-2f).max(-80f);
        // k = round(y log2 e) without float-to-int conversion ops, which JDK 17 does not compile
        // to vector instructions here (profiled): the magic-number trick uses adds and a reinterpretation.
        FloatVector big = yv.mul(LOG2E).add(MAGIC);
        FloatVector kf = big.sub(MAGIC);
        IntVector k = ((IntVector) big.reinterpretAsInts()).sub(MAGIC_BITS);
        FloatVector r = yv.sub(kf.mul(LN2_HI)).sub(kf.mul(LN2_LO));
        FloatVector p = FloatVector.broadcast(FS, EXP_C[9]);
        for (int c = 8; c >= 0; c--) p = p.mul(r).add(EXP_C[c]);
        FloatVector two = k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = p.mul(two);
        FloatVector large = FloatVector.broadcast(FS, 1f).sub(e).div(e.add(1f));
        FloatVector s = ax.mul(ax);
        FloatVector q = FloatVector.broadcast(FS, TANH_C[5]);
        for (int c = 4; c >= 0; c--) q = q.mul(s).add(TANH_C[c]);
        FloatVector small = q.mul(ax);
        VectorMask<Float> isSmall = ax.lt(0.25f);
        FloatVector t = large.blend(small, isSmall);
        return t.blend(t.neg(), x.lt(0f));
    }

    static float scalar(float x) {
        float ax = Math.abs(x);
        float t;
        if (ax < 0.25f) {
            float s = ax * ax, q = TANH_C[5];
            for (int c = 4; c >= 0; c--) q = q * s + TANH_C[c];
            t = q * ax;
        } else {
            float yv = Math.max(ax * -2f, -80f);
            float big = yv * LOG2E + MAGIC;
            float kf = big - MAGIC;
            int k = Float.floatToRawIntBits(big) - MAGIC_BITS;
            float r = yv - kf * LN2_HI - kf * LN2_LO;
            float p = EXP_C[9];
            for (int c = 8; c >= 0; c--) p = p * r + EXP_C[c];
            float e = p * Float.intBitsToFloat((k + 127) << 23);
            t = (1f - e) / (e + 1f);
        }
        return x < 0 ? -t : t;
    }
}
