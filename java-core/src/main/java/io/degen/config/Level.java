package io.degen.config;

import io.degen.util.SpecPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a degeneracy analysis can measure for one condition: the paper's three levels (behaviour,
 * dynamics, weights) and the feature-learning measures. A spec asks for some of them
 * ({@code measure.levels}); only those are computed.
 */
public enum Level {
    BEHAVIOUR, DYNAMICS, WEIGHTS, FEATURE_LEARNING;

    /** The spec's spelling: {@code behaviour}, {@code dynamics}, {@code weights}, {@code feature-learning}. */
    public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** The key of this level in stored analyses: {@code feature_learning}. */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    /** The pairwise levels, whose matrices can be split into blocks. */
    public boolean pairwise() { return this == DYNAMICS || this == WEIGHTS; }

    public static Level parse(String s) {
        for (Level l : values()) if (l.label().equals(s)) return l;
        throw new IllegalArgumentException("level must be one of " + labels() + ", got " + SpecPath.show(s));
    }

    public static List<String> labels() {
        List<String> out = new ArrayList<>();
        for (Level l : values()) out.add(l.label());
        return out;
    }
}
