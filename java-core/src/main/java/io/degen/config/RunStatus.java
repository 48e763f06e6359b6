package io.degen.config;

import io.degen.util.SpecPath;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How the training of one network ended. Stored in {@code record.json} and the catalog by its
 * {@link #label()} ({@code converged}, {@code not-converged}, {@code diverged}); only converged
 * networks enter the degeneracy levels.
 */
public enum RunStatus {
    /** The epoch loss fell below the threshold, and the patience epochs after it ran (whatever the loss did then). */
    CONVERGED,
    /** Max epochs reached first. */
    NOT_CONVERGED,
    /** The loss became NaN or infinite. */
    DIVERGED;

    /** The stored spelling: lower case, words joined by '-'. */
    @JsonValue
    public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** The JSON key of a count of runs with this status ({@code not_converged}). */
    public String countKey() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a stored label exactly (case matters: a record saying "Converged" is not a converged record). */
    @JsonCreator
    public static RunStatus parse(String s) {
        for (RunStatus r : values()) if (r.label().equals(s)) return r;
        throw new IllegalArgumentException("status must be one of converged, not-converged, diverged; got " + SpecPath.show(s));
    }
}
