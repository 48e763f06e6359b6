package io.degen.dsl;

import io.degen.cli.Args;
import io.degen.cli.Command;

import java.util.Map;

/**
 * {@code degen repl [--socket PORT]}: a Clojure REPL in namespace {@code user} with
 * {@code degen.core} aliased as {@code d}. With {@code --socket PORT} a socket REPL (same setup)
 * also listens on 127.0.0.1:PORT for editors ({@code nc localhost PORT}). Returns
 * {@code {"repl":"closed","socket":PORT}} once the console REPL exits (Ctrl-D).
 */
public final class ReplCommand implements Command {
    @Override public String name() { return "repl"; }

    @Override public String help() { return "Clojure REPL with degen.core as d (--socket PORT: also a socket REPL on 127.0.0.1)"; }

    @Override
    @SuppressWarnings("unchecked")
    public Object run(Args args) throws Exception {
        int port = args.integer("socket", -1, 0, 65535);
        args.finish();
        return (Map<String, Object>) Clj.fn("degen.repl", "start!").invoke(port < 0 ? null : port);
    }
}
