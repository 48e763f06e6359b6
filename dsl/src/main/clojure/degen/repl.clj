(ns degen.repl
  "The `degen repl` command: a console REPL and an optional socket REPL, both starting in `user`
  with degen.core aliased as `d`."
  (:require [clojure.core.server :as server]
            [clojure.main :as main]
            [degen.core]))

(defn init
  "REPL init: namespace user, clojure.core referred, degen.core as d."
  []
  (in-ns 'user)
  (clojure.core/refer-clojure)
  (require '[degen.core :as d]))

(defn socket-repl
  "Accept function of the socket server: clojure.main REPL with `init`."
  []
  (main/repl :init init))

(defn start-socket!
  "Starts a socket REPL on 127.0.0.1:PORT (0: any free port). Returns the ServerSocket."
  ^java.net.ServerSocket [name port]
  (server/start-server {:name name :address "127.0.0.1" :port port :accept `socket-repl}))

(defn start!
  "Runs the console REPL until EOF; with a port also a socket REPL. Returns a result map."
  [port]
  (let [srv (when port (start-socket! "degen" port))]
    (when srv
      (binding [*out* *err*]
        (println (str "socket REPL on 127.0.0.1:" (.getLocalPort srv)))))
    (try
      (main/repl :init init)
      {"repl" "closed" "socket" (when srv (.getLocalPort srv))}
      (finally (when srv (server/stop-server "degen"))))))

(defn -main
  "`clojure -M -m degen.repl [PORT]` (the :repl alias of deps.edn and dsl/deps.edn): the console
  REPL of `degen repl`, in user with degen.core as d; with PORT also the socket REPL."
  [& [port]]
  (start! (some-> port parse-long))
  nil)
