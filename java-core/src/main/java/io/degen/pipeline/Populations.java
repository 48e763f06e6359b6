package io.degen.pipeline;

import io.degen.config.RunConfig;
import io.degen.degeneracy.Network;
import io.degen.degeneracy.Population;
import io.degen.store.Store;
import io.degen.store.StoredRun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Loads a condition's stored networks into memory, each verified once by the store. */
final class Populations {
    private Populations() { }

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

    /** The population of stored networks (weights read now, once each). */
    static Population of(String conditionId, List<StoredRun> stored) throws IOException {
        List<Network> nets = new ArrayList<>();
        for (StoredRun s : stored) nets.add(new Network(s.id(), s.config(), s.status(), s.weights(), s.initialWeights()));
        return new Population(conditionId, nets);
    }
}
