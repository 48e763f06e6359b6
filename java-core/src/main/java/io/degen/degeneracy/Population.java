package io.degen.degeneracy;

import io.degen.config.RunStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The networks of one condition (they differ only in seed), in memory. The statistical unit of every
 * analysis is the network: only converged networks enter the levels, the others are counted.
 */
public record Population(String conditionId, List<Network> networks) {
    public Population {
        networks = List.copyOf(networks);
    }

    /** The converged networks, in run order. */
    public List<Network> converged() {
        List<Network> out = new ArrayList<>();
        for (Network n : networks) if (n.converged()) out.add(n);
        return out;
    }

    public int count(RunStatus s) {
        int c = 0;
        for (Network n : networks) if (n.status() == s) c++;
        return c;
    }

    public List<String> convergedIds() {
        List<String> out = new ArrayList<>();
        for (Network n : converged()) out.add(n.id());
        return out;
    }
}
