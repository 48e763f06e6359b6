package io.degen.dsl;

import io.degen.cli.Args;
import io.degen.cli.Command;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code degen repl [--socket PORT] [--prepl PORT]}: a Clojure REPL in namespace {@code user} with
 * {@code degen.core} aliased as {@code d} and clojure.repl's doc, source, dir, apropos, pst
 * referred. {@code --socket PORT} also serves a socket REPL (same setup) on 127.0.0.1:PORT
 * ({@code nc localhost PORT}); {@code --prepl PORT} serves Clojure's io-prepl for editors that speak
 * it. A taken port exits 2 naming the option. Returns {@code {"repl":"closed","socket":PORT,"prepl":PORT}}
 * once the console REPL exits (Ctrl-D).
 */
public final class ReplCommand implements Command {
    @Override public String name() { return "repl"; }

    @Override public String help() {
        return "Clojure REPL with degen.core as d (--socket PORT: also a socket REPL, --prepl PORT: an io-prepl, on 127.0.0.1)";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object run(Args args) throws Exception {
        int socket = args.integer("socket", -1, 0, 65535);
        int prepl = args.integer("prepl", -1, 0, 65535);
        args.finish();
        Map<Object, Object> opts = new HashMap<>();
        opts.put(clojure.lang.Keyword.intern("socket"), socket < 0 ? null : socket);
        opts.put(clojure.lang.Keyword.intern("prepl"), prepl < 0 ? null : prepl);
        return (Map<String, Object>) Clj.fn("degen.repl", "start!").invoke(clojure.lang.PersistentHashMap.create(opts));
    }
}
