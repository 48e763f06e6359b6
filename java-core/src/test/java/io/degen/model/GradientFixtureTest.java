package io.degen.model;

import io.degen.config.ModelConfig;
import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.io.NdArray;
import io.degen.task.TrialBatch;
import io.degen.testutil.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward values and BPTT gradients of both models against PyTorch autograd (float64). */
class GradientFixtureTest {
    private final Backend be = new JavaBackend();

    private static TrialBatch trials(String dir) {
        NdArray x = Fixtures.npy(dir, "x"), y = Fixtures.npy(dir, "y");
        double[] mask = new double[y.size()];
        java.util.Arrays.fill(mask, 1.0);
        return new TrialBatch(x.dim(0), x.dim(1), x.dim(2), y.dim(2), x.data(), y.data(), mask);
    }

    private static void assertClose(String what, double[] expected, double[] actual, double rel) {
        double err = Fixtures.maxRelError(actual, expected, 1e-6);
        assertTrue(err <= rel, what + ": max relative error " + err + " > " + rel);
    }

    @Test
    void standardRnnMatchesPytorchAutograd() {
        TrialBatch tb = trials("rnn-bptt");
        RnnModel m = RnnModel.create(be, DType.F64, ModelConfig.standard(12), 3, 2);
        m.importWeights(Map.of(
                "weight_ih_l0", Fixtures.npy("rnn-bptt", "W_ih"), "weight_hh_l0", Fixtures.npy("rnn-bptt", "W_hh"),
                "bias_ih_l0", Fixtures.npy("rnn-bptt", "b_ih"), "bias_hh_l0", Fixtures.npy("rnn-bptt", "b_hh"),
                "readout.weight", Fixtures.npy("rnn-bptt", "W_out"), "readout.bias", Fixtures.npy("rnn-bptt", "b_out")));
        Workspace ws = m.workspace();
        double loss = m.lossAndGradients(ws, tb);
        assertEquals(Fixtures.expected("rnn-bptt").get("loss").asDouble(), loss, 1e-12);
        assertClose("hidden", Fixtures.npy("rnn-bptt", "hidden").data(), ws.statesBatchMajor(), 1e-9);
        assertClose("output", Fixtures.npy("rnn-bptt", "output").data(), ws.outputsBatchMajor(), 1e-9);
        String[][] pairs = {{"weight_ih_l0", "grad_W_ih"}, {"weight_hh_l0", "grad_W_hh"}, {"bias_ih_l0", "grad_b_ih"},
                {"bias_hh_l0", "grad_b_hh"}, {"readout.weight", "grad_W_out"}, {"readout.bias", "grad_b_out"}};
        for (String[] p : pairs) assertClose(p[0], Fixtures.npy("rnn-bptt", p[1]).data(), m.gradient(p[0]), 1e-9);
    }

    @Test
    void mupRnnMatchesPytorchAutograd() {
        var exp = Fixtures.expected("mup-rnn");
        TrialBatch tb = trials("mup-rnn");
        int n = exp.get("N").asInt();
        RnnModel m = RnnModel.create(be, DType.F64, new ModelConfig("mup", n, exp.get("gamma").asDouble(), exp.get("tau").asDouble()), 3, 2);
        m.importWeights(Map.of("J", Fixtures.npy("mup-rnn", "J"), "U", Fixtures.npy("mup-rnn", "U"),
                "W_out", Fixtures.npy("mup-rnn", "W_out")));
        Workspace ws = m.workspace();
        double loss = m.lossAndGradients(ws, tb);
        assertEquals(exp.get("loss").asDouble(), loss, 1e-12);
        assertClose("hidden", Fixtures.npy("mup-rnn", "hidden").data(), ws.statesBatchMajor(), 1e-9);
        assertClose("output", Fixtures.npy("mup-rnn", "output").data(), ws.outputsBatchMajor(), 1e-9);
        assertClose("J", Fixtures.npy("mup-rnn", "grad_J").data(), m.gradient("J"), 1e-9);
        assertClose("U", Fixtures.npy("mup-rnn", "grad_U").data(), m.gradient("U"), 1e-9);
        assertClose("W_out", Fixtures.npy("mup-rnn", "grad_W_out").data(), m.gradient("W_out"), 1e-9);
    }
}
