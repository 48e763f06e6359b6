package io.degen.metrics.complexity;

import io.degen.task.Task;
import io.degen.task.TaskRegistry;
import io.degen.task.TrialBatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")
class TaskComplexityTest {
    private static TaskComplexity.Report measure(Map<String, ?> task, TaskComplexity.Options o) {
        return TaskComplexity.measure(TaskRegistry.create(task), o);
    }

    private static TaskComplexity.Options opts() { return TaskComplexity.Options.defaults(); }

    @Test void flipFlopMeasuresRiseWithBits() {
        TaskComplexity.Options o = opts().withTrials(500);
        TaskComplexity.Report[] r = new TaskComplexity.Report[3];
        for (int c = 1; c <= 3; c++) r[c - 1] = measure(Map.of("type", "flipflop", "channels", c), o);
        for (int c = 1; c < 3; c++) {
            assertTrue(r[c].targetEntropy() > r[c - 1].targetEntropy() + 0.5, "entropy " + c);
            assertTrue(r[c].memoryTotal() > r[c - 1].memoryTotal() * 1.2, "memory " + c);
        }
        // One bit: H(Y) over {-1, 0, +1} is at most log2(3); memory decays as (1 - p)^k.
        assertTrue(r[0].targetEntropy() > 1.0 && r[0].targetEntropy() < Math.log(3) / Math.log(2) + 0.01);
        double[] i1 = r[0].memoryInformation();
        assertEquals(30, i1.length);
        assertTrue(i1[0] > 1.0 && i1[29] < i1[0] * 0.5 && i1[29] > 0.1, Arrays.toString(i1));
    }

    @Test void delayedDiscriminationMemoryGrowsWithDelayAndAux() {
        double[] leff = new double[3];
        int[] delays = {10, 20, 40};
        for (int d = 0; d < 3; d++) {
            TaskComplexity.Report plain = measure(Map.of("type", "delayed-discrimination", "delay-max", delays[d]), opts());
            TaskComplexity.Report aux = measure(Map.of("type", "delayed-discrimination", "delay-max", delays[d], "aux", true), opts());
            leff[d] = plain.effectiveMemoryLength();
            // The sign target is one fair bit.
            assertEquals(1.0, plain.targetEntropy(), 0.01);
            assertTrue(aux.targetEntropy() > plain.targetEntropy() + 1, "aux entropy");
            assertTrue(aux.memoryTotal() >= plain.memoryTotal(), "aux memory");
        }
        assertTrue(leff[0] < leff[1] && leff[1] < leff[2], Arrays.toString(leff));
    }

    @Test void stableAcrossSampleSeeds() {
        // Delayed discrimination has only `trials` independent comparisons (its 10 response steps
        // repeat one answer), so its L_eff = total / peak gets a looser 10 % bound.
        Map<?, ?>[] tasks = {Map.of("type", "flipflop", "channels", 1), Map.of("type", "delayed-discrimination")};
        double[] leffTol = {0.05, 0.10};
        for (int i = 0; i < tasks.length; i++) {
            @SuppressWarnings("unchecked") Map<String, ?> task = (Map<String, ?>) tasks[i];
            TaskComplexity.Report a = measure(task, opts().withSeed(0)), b = measure(task, opts().withSeed(1));
            assertEquals(1, b.seed());
            assertTrue(rel(a.targetEntropy(), b.targetEntropy()) < 0.05, task + " entropy");
            assertTrue(rel(a.memoryTotal(), b.memoryTotal()) < 0.05, task + " memory " + a.memoryTotal() + " " + b.memoryTotal());
            assertTrue(rel(a.effectiveMemoryLength(), b.effectiveMemoryLength()) < leffTol[i],
                    task + " L_eff " + a.effectiveMemoryLength() + " " + b.effectiveMemoryLength());
        }
    }

    @Test void sameSeedSameReport() {
        Map<String, ?> task = Map.of("type", "delayed-discrimination", "delay-max", 10);
        TaskComplexity.Report a = measure(task, opts().withTrials(300)), b = measure(task, opts().withTrials(300));
        assertEquals(a.memoryTotal(), b.memoryTotal());
        assertEquals(a.targetEntropy(), b.targetEntropy());
    }

    @Test void memorylessTargetHasNoMemory() {
        // y_t = x_t^2 with i.i.d. continuous inputs: the past is irrelevant.
        TaskComplexity.Report r = TaskComplexity.measure(new Synthetic(0), opts().withTrials(1000).withMaxLag(20));
        assertTrue(Math.abs(r.memoryTotal()) < 0.05, "total " + r.memoryTotal() + " " + Arrays.toString(r.memoryInformation()));
        for (double v : r.memoryInformation()) assertTrue(Math.abs(v) < 0.01, Arrays.toString(r.memoryInformation()));
        assertEquals(0.0, r.effectiveMemoryLength());
        assertTrue(r.targetEntropy() > 1.5);
    }

    @Test void delayLineRemembersExactlyFiveSteps() {
        TaskComplexity.Report r = TaskComplexity.measure(new Synthetic(5), opts().withMaxLag(20));
        double[] info = r.memoryInformation();
        // The shuffle null over-corrects slightly when Y is a function of (S, W): allow 0.1 bit.
        for (int k = 1; k <= 5; k++) assertTrue(info[k - 1] > 0.9, "I_" + k + " " + Arrays.toString(info));
        for (int k = 6; k <= 20; k++) assertTrue(Math.abs(info[k - 1]) < 0.01, "I_" + k + " " + Arrays.toString(info));
        assertEquals(5.0, r.effectiveMemoryLength(), 0.25);
        assertEquals(1.0, r.targetEntropy(), 0.01);
    }

    @Test void maxLagIsCappedByTrialLength() {
        TaskComplexity.Report r = measure(Map.of("type", "flipflop", "channels", 1, "time", 12), opts().withTrials(200));
        assertEquals(12, r.memoryInformation().length);
        assertEquals(200 * 12, r.samples());
    }

    @Test void entropyEstimators() {
        long[] x = new long[1000];
        for (int i = 0; i < x.length; i++) x[i] = i % 4;
        assertEquals(2.0, TaskComplexity.entropy(x), 1e-12);
        assertEquals(2.0 + 3 / (2000 * Math.log(2)), TaskComplexity.entropyMM(x), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> opts().withBins(0));
    }

    private static double rel(double a, double b) { return Math.abs(a - b) / Math.max(1e-9, Math.max(Math.abs(a), Math.abs(b))); }

    /** delay 0: y_t = x_t^2, x ~ U(-1, 1); delay d > 0: y_t = x_{t-d}, x = +-1, scored from t = d. */
    private record Synthetic(int delay) implements Task {
        @Override public String type() { return "synthetic"; }
        @Override public int inputSize() { return 1; }
        @Override public int outputSize() { return 1; }
        @Override public int trialLength() { return 50; }
        @Override public double threshold() { return 0; }
        @Override public Map<String, Object> options() { return Map.of("type", "synthetic"); }
        @Override public TrialBatch oodBatch(int n, SplittableRandom rng) { return batch(n, rng); }

        @Override public TrialBatch batch(int n, SplittableRandom rng) {
            int T = trialLength();
            TrialBatch tb = TrialBatch.zeros(n, T, 1, 1);
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < T; t++) {
                    double x = delay == 0 ? 2 * rng.nextDouble() - 1 : (rng.nextBoolean() ? 1 : -1);
                    tb.input()[tb.inIndex(b, t, 0)] = x;
                    if (delay == 0) tb.target()[tb.outIndex(b, t, 0)] = x * x;
                    else if (t >= delay) tb.target()[tb.outIndex(b, t, 0)] = tb.input()[tb.inIndex(b, t - delay, 0)];
                    if (t >= delay) tb.mask()[tb.outIndex(b, t, 0)] = 1;
                }
            }
            return tb;
        }
    }
}
