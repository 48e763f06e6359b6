package io.degen.verdict;

import com.fasterxml.jackson.annotation.JsonValue;

/** The expected direction of a level as the knob moves along its sweep: the paper's arrows. */
public enum Direction {
    UP, DOWN;

    @JsonValue public String label() { return this == UP ? "up" : "down"; }

    public static Direction parse(String s) {
        return switch (s) {
            case "up" -> UP;
            case "down" -> DOWN;
            default -> throw new IllegalArgumentException("a direction is up or down, got " + s);
        };
    }

    /** Whether an effect of this sign goes this way. */
    public boolean matches(double effect) { return this == UP ? effect > 0 : effect < 0; }
}
