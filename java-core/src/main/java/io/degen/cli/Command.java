package io.degen.cli;

import java.util.Set;

/** One CLI subcommand. Writes logs to stderr; returns the JSON result printed as the last stdout line. */
public interface Command {
    /** Words that select this command, e.g. "train" or "metric dsa". */
    String name();

    /** One-line description for the help text. */
    String help();

    /** Options that take no value. */
    default Set<String> flags() { return Set.of(); }

    Object run(Args args) throws Exception;
}
