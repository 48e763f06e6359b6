package io.degen.verdict;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a cell of the verdict table came out against the expected direction. */
public enum Outcome {
    /** Significant (Holm-adjusted) and in the expected direction. */
    AGREE("agree"),
    /** Significant and against the expected direction. */
    DISAGREE("disagree"),
    /** Not significant after the Holm adjustment: the data do not say. */
    NOT_SIGNIFICANT("n.s."),
    /** Dynamics DSA does not resolve: the same-network null is not clearly below the between-network distance. */
    UNRESOLVED("unresolved"),
    /** No expected direction was stated: the effect is reported, not judged. */
    NOT_JUDGED("not judged");

    private final String label;

    Outcome(String label) { this.label = label; }

    @JsonValue public String label() { return label; }
}
