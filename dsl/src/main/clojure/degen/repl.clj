(ns degen.repl
  "The `degen repl` command: a console REPL, and optionally a socket REPL and a prepl (Clojure's
  built-in io-prepl, for editors that speak it), all starting in `user` with degen.core aliased as
  `d` and clojure.repl's doc, source, dir, apropos, find-doc and pst referred, as clojure.main does."
  (:require [clojure.core.server :as server]
            [clojure.main :as main]
            [degen.core]))

(defn setup-user!
  "Prepares namespace `user` as clojure.main's REPL does (clojure.core, main/repl-requires: doc,
  source, dir, apropos, find-doc, pst, javadoc, pprint) plus degen.core as `d`. Namespaces are
  global, so this works from any thread, also one where *ns* is not bound (a prepl connection)."
  []
  (binding [*ns* (create-ns 'user)]
    (refer-clojure)
    (apply require main/repl-requires)
    (require '[degen.core :as d]))
  nil)

(defn init
  "REPL init: `user` prepared by setup-user! and made the current namespace."
  []
  (setup-user!)
  (in-ns 'user))

(defn socket-repl
  "Accept function of the socket server: a clojure.main REPL with `init`, reading as the built-in
  socket REPL does (so :repl/quit ends the connection). The server binds *in*, *out* and *err* to
  the connection, and degen.core sends the Java progress of run! to that *err*."
  []
  (main/repl :init init :read server/repl-read))

(defn prepl
  "Accept function of the prepl server: Clojure's io-prepl (EDN maps :tag :ret/:out/:err/:tap) in
  the same prepared `user`. io-prepl rebinds *out* and *err* to :out/:err messages, so progress of a
  run! reaches the client as :err messages."
  []
  (setup-user!)
  (server/io-prepl))

(defn- listen!
  "Starts server `name` on 127.0.0.1:PORT (0: any free port) with accept fn `accept`. A port that is
  taken is the user's to change: IllegalArgumentException naming the option, not an internal error."
  ^java.net.ServerSocket [name option port accept]
  (try
    (server/start-server {:name name :address "127.0.0.1" :port port :accept accept})
    (catch java.net.BindException e
      (throw (IllegalArgumentException.
              (str "--" option " " port ": cannot listen on 127.0.0.1:" port " (" (.getMessage e)
                   "): another process holds the port; choose another, or 0 for any free port")
              e)))))

(defn start-socket!
  "Starts a socket REPL on 127.0.0.1:PORT (0: any free port). Returns the ServerSocket."
  ^java.net.ServerSocket [name port]
  (listen! name "socket" port `socket-repl))

(defn start-prepl!
  "Starts a prepl on 127.0.0.1:PORT (0: any free port). Returns the ServerSocket."
  ^java.net.ServerSocket [name port]
  (listen! name "prepl" port `prepl))

(defn- announce! [what ^java.net.ServerSocket srv]
  (binding [*out* *err*]
    (println (str what " on 127.0.0.1:" (.getLocalPort srv)))))

(defn start!
  "Runs the console REPL until EOF; with :socket PORT also a socket REPL, with :prepl PORT a prepl.
  Returns a result map with the ports that were open (nil for none)."
  [{:keys [socket prepl]}]
  (let [started (atom [])
        start (fn [name f port what]
                (when port
                  (let [srv (f name port)]
                    (swap! started conj name)
                    (announce! what srv)
                    (.getLocalPort srv))))]
    (try
      (let [socket-port (start "degen" start-socket! socket "socket REPL")
            prepl-port (start "degen-prepl" start-prepl! prepl "prepl")]
        (main/repl :init init)
        {"repl" "closed" "socket" socket-port "prepl" prepl-port})
      (finally (run! server/stop-server @started)))))

(defn -main
  "`clojure -M -m degen.repl [PORT]` (the :repl alias of deps.edn and dsl/deps.edn): the console
  REPL of `degen repl`, in user with degen.core as d; with PORT also the socket REPL."
  [& [port]]
  (start! {:socket (some-> port parse-long)})
  nil)
