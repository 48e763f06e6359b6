package io.degen.metrics.dsa;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.util.Json;
import io.degen.util.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimiser on operators of networks degen trained (fixtures/dsa-trained): never above the
 * published DSA package's distance, and close to a brute-force search. Random RNNs and the small
 * fixture systems have easier landscapes; on these the optimiser this class replaced was above
 * the package on 14 of the 66 pairs, by up to 0.0117.
 */
class TrainedOperatorsTest {
    static JsonNode expected;
    static List<Mat> ops = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of(TrainedOperatorsTest.class.getResource("/fixtures/dsa-trained/expected.json").toURI()).getParent();
        expected = Json.read(dir.resolve("expected.json"));
        NdArray a = Npy.read(dir.resolve("operators.npy"));
        int k = a.dim(0), r = a.dim(1);
        for (int i = 0; i < k; i++) ops.add(new Mat(r, r, Arrays.copyOfRange(a.data(), i * r * r, (i + 1) * r * r)));
        assertEquals(expected.get("networks").size(), k);
    }

    @Test
    void neverAboveThePackageOnAnyPair() {
        JsonNode pkg = expected.get("package_angular");
        VectorFieldProcrustes.Options o = VectorFieldProcrustes.Options.defaults();
        double margin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < ops.size(); i++) {
            for (int j = i + 1; j < ops.size(); j++) {
                double d = VectorFieldProcrustes.align(ops.get(i), ops.get(j), o).angular(), p = pkg.get(i).get(j).asDouble();
                assertTrue(d <= p + 1e-6, "pair " + i + "," + j + ": degen " + d + " above the DSA package's " + p);
                margin = Math.min(margin, p - d);
            }
        }
        assertTrue(margin > -1e-6, "margin " + margin);
    }

    /**
     * Brute force: 4 structured + 60 random starts, every one run to convergence. On these pairs the
     * default stays within 1e-4 of it on average (measured 1.0e-4 against 108 starts over all 66
     * pairs; the replaced optimiser: 2.8e-3) and never above it by more than 2e-3.
     */
    @Test
    void closeToABruteForceSearch() {
        VectorFieldProcrustes.Options def = VectorFieldProcrustes.Options.defaults();
        VectorFieldProcrustes.Options brute = new VectorFieldProcrustes.Options(60, 777L, 1e-6, 4000, 1e-7, 64);
        double sum = 0, worst = 0;
        int pairs = 0;
        // two networks of each channel count: 15 pairs, within and across conditions
        int[] picks = {0, 1, 4, 5, 8, 9};
        for (int x = 0; x < picks.length; x++) {
            for (int y = x + 1; y < picks.length; y++) {
                Mat a = ops.get(picks[x]), b = ops.get(picks[y]);
                double d = VectorFieldProcrustes.align(a, b, def).angular(), ref = VectorFieldProcrustes.align(a, b, brute).angular();
                double excess = d - ref;
                sum += Math.max(0, excess);
                worst = Math.max(worst, excess);
                pairs++;
            }
        }
        assertEquals(15, pairs);
        assertTrue(worst < 2e-3, "worst excess over brute force " + worst);
        assertTrue(sum / pairs < 3e-4, "mean excess over brute force " + sum / pairs);
    }
}
