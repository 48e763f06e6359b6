package io.degen.dsl;

import clojure.java.api.Clojure;
import clojure.lang.IFn;

/** Loads the DSL namespaces once and looks up their functions. */
final class Clj {
    private static final Object LOCK = new Object();

    private Clj() { }

    /** The var {@code ns/name}, after requiring {@code ns}. */
    static IFn fn(String ns, String name) {
        require(ns);
        return Clojure.var(ns, name);
    }

    static void require(String ns) {
        synchronized (LOCK) {
            Clojure.var("clojure.core", "require").invoke(Clojure.read(ns));
        }
    }
}
