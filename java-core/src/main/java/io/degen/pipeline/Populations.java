package io.degen.pipeline;

import io.degen.config.RunConfig;
import io.degen.degeneracy.Network;
import io.degen.degeneracy.Population;
import io.degen.io.NdArray;
import io.degen.model.RnnModel;
import io.degen.store.Store;
import io.degen.store.StoredRun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads a condition's stored networks into memory, each verified once by the store and checked against its configuration. */
final class Populations {
    private Populations() { }

    /** Stored networks that cannot be used (their weights do not fit their configuration), by run id. */
    static final class UnusableNetworks extends IllegalArgumentException {
        final Map<String, String> problems;

        UnusableNetworks(Map<String, String> problems) {
            super(problems.size() + " stored network(s) cannot be used: " + describe(problems));
            this.problems = Map.copyOf(problems);
        }

        private static String describe(Map<String, String> p) {
            List<String> out = new ArrayList<>();
            for (var e : p.entrySet()) out.add(e.getKey() + " (" + e.getValue() + ")");
            return String.join("; ", out.size() <= 3 ? out : out.subList(0, 3)) + (out.size() > 3 ? " and " + (out.size() - 3) + " more" : "");
        }
    }

    /** The population of these runs; every run must be stored and verified. */
    static Population load(Store store, String conditionId, List<RunConfig> runs) throws IOException {
        List<StoredRun> stored = new ArrayList<>();
        for (RunConfig r : runs) {
            StoredRun s = store.get(r.id());
            if (s == null) throw new IllegalStateException("network " + r.id() + " of condition " + conditionId + " is not stored: " + store.problem(r.id()));
            stored.add(s);
        }
        return of(conditionId, stored);
    }

    /**
     * The population of stored networks (weights read now, once each). A network whose weights do not
     * fit its configuration (e.g. a record edited to another width) is reported by id, all of them at once.
     */
    static Population of(String conditionId, List<StoredRun> stored) throws IOException {
        List<Network> nets = new ArrayList<>();
        Map<String, String> bad = new LinkedHashMap<>();
        for (StoredRun s : stored) {
            Map<String, NdArray> w = s.weights(), w0 = s.initialWeights();
            int in = s.config().task().inputSize(), out = s.config().task().outputSize();
            String why = RnnModel.weightsProblem(s.config().model(), in, out, w);
            if (why == null) why = RnnModel.weightsProblem(s.config().model(), in, out, w0);
            if (why != null) { bad.put(s.id(), why); continue; }
            nets.add(new Network(s.id(), s.config(), s.status(), w, w0));
        }
        if (!bad.isEmpty()) throw new UnusableNetworks(bad);
        return new Population(conditionId, nets);
    }
}
