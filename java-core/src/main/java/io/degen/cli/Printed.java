package io.degen.cli;

/** A command result with a text for people, printed to stdout before the JSON line of {@code json}. */
record Printed(String text, Object json) { }
