package io.degen.verdict;

import io.degen.config.Level;
import io.degen.degeneracy.ConditionResult;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One figure to judge: a store's study, a sweep of one knob. The conditions come in the order of
 * the sweep as the spec lists it, which is the order the expected direction refers to ("up": the
 * level grows as the knob moves along its sweep).
 *
 * @param name       the study's name (fig3-flipflop)
 * @param source     where it was read from (the store directory), for messages
 * @param knob       the swept axis (task.channels)
 * @param conditions the sweep's conditions with their stored analyses
 * @param levels     the levels the study measured (those judged)
 * @param expect     the expected direction per level; a level without one is reported, not judged
 */
public record Figure(String name, String source, String knob, List<Condition> conditions, Set<Level> levels, Map<Level, Direction> expect) {
    /** A condition: its id, the knob's value and what was measured. */
    public record Condition(String id, Object value, ConditionResult result) { }

    public Figure {
        conditions = List.copyOf(conditions);
        levels = Set.copyOf(levels);
        expect = Map.copyOf(expect);
    }
}
