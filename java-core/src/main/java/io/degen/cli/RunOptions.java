package io.degen.cli;

import io.degen.backend.DType;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.config.TrainConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Builds run configurations from the shared task/model/training options of train, bench and import. */
final class RunOptions {
    static final Set<String> FLAGS = Set.of("aux");

    private RunOptions() { }

    static Map<String, Object> task(Args a) {
        Map<String, Object> t = new LinkedHashMap<>();
        String type = a.string("task", "flipflop");
        t.put("type", type);
        if (a.has("channels")) t.put("channels", a.integer("channels", 3, 1, 64));
        if (a.has("dims")) t.put("dims", a.integer("dims", 2, 2, 3));
        if (a.has("time")) t.put("time", a.integer("time", 100, 2, 1_000_000));
        if (a.has("delay-min")) t.put("delay-min", a.integer("delay-min", 5, 1, 10000));
        if (a.has("delay-max")) t.put("delay-max", a.integer("delay-max", 20, 1, 10000));
        if (a.flag("aux")) t.put("aux", true);
        if (a.has("p")) t.put("p", a.number("p", 0.05, 1e-6, 1));
        return t;
    }

    static ModelConfig model(Args a) {
        String type = a.choice("model", "standard", "standard", "mup");
        int hidden = a.integer("hidden", 128, 1, 16384);
        double gamma = a.number("gamma", 1.0, 1e-9, 1e9);
        double tau = a.number("tau", 0.1, 1e-9, 1);
        if (type.equals("standard") && a.has("gamma")) throw new UsageException("option --gamma needs --model mup");
        return new ModelConfig(type, hidden, gamma, tau);
    }

    static TrainConfig train(Args a) {
        TrainConfig d = TrainConfig.defaults();
        return new TrainConfig(a.number("lr", d.lr(), 1e-12, 10), a.integer("batch", d.batch(), 1, 1_000_000),
                a.integer("steps-per-epoch", d.stepsPerEpoch(), 1, 1_000_000), a.integer("max-epochs", d.maxEpochs(), 1, 1_000_000),
                a.number("threshold", Double.NaN, 0, 1e9), a.integer("patience", d.patience(), 0, 1_000_000),
                d.plateauFactor(), d.plateauPatience(), a.number("nuclear", 0, 0, 1e9), a.number("l1", 0, 0, 1e9),
                DType.parse(a.string("dtype", "float32")));
    }

    static RunConfig run(Args a, long seed) {
        try {
            return new RunConfig(task(a), model(a), train(a), seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
