(ns degen.repl-test
  (:require [clojure.core.server :as server]
            [clojure.test :refer [deftest is]]
            [degen.repl :as repl])
  (:import (java.io BufferedReader InputStreamReader PrintWriter)
           (java.net Socket)))

(deftest socket-repl-has-d-alias
  (let [srv (repl/start-socket! "degen-test" 0)]
    (try
      (with-open [sock (Socket. "127.0.0.1" (.getLocalPort srv))]
        (.setSoTimeout sock 20000)
        (let [w (PrintWriter. (.getOutputStream sock) true)
              r (BufferedReader. (InputStreamReader. (.getInputStream sock)))]
          (.println w "(d/with-overrides {:a {:b 1}} {:a {:c 2}})")
          (.println w ":done")
          (let [sb (StringBuilder.)]
            (loop []
              (let [c (.read r)]
                (when (and (>= c 0) (not (.contains (str sb) ":done")))
                  (.append sb (char c))
                  (recur))))
            (is (.contains (str sb) "{:a {:b 1, :c 2}}") (str sb)))))
      (finally (server/stop-server "degen-test")))))

(deftest repl-command-is-registered
  (is (some #(= "repl" (.name ^io.degen.cli.Command %)) (io.degen.cli.Main/commands))))

(deftest main-runs-the-console-repl-with-d-alias
  ;; what `clojure -M:repl` runs (deps.edn): reads forms from stdin until EOF
  (let [in "(count (:runs (d/plan {:name \"x\" :task {:type :flipflop :channels [1 2]} :seeds 3})))\n(str *ns*)\n"
        out (with-out-str
              (binding [*in* (clojure.lang.LineNumberingPushbackReader. (java.io.StringReader. in))]
                (is (nil? (repl/-main)))))]
    (is (re-find #"(?m)^user=> 6$" out) out)
    (is (re-find #"(?m)^user=> \"user\"$" out) out)))
