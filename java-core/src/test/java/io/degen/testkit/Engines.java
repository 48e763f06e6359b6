package io.degen.testkit;

import io.degen.backend.Backend;
import io.degen.backend.JavaBackend;

/** The engines tests pass to the code they test (every consumer takes its engine as an argument). */
public final class Engines {
    /** The pure-Java engine: holds no native resources, so one instance serves every test. */
    public static final Backend JAVA = new JavaBackend();

    private Engines() { }
}
