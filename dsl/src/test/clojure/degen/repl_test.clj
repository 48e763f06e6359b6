(ns degen.repl-test
  (:require [clojure.core.server :as server]
            [clojure.edn :as edn]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [degen.repl :as repl])
  (:import (java.io BufferedReader InputStreamReader PrintWriter StringReader StringWriter)
           (java.net Socket)
           (java.nio.file Files)))

(defn- converse
  "Sends `forms` (strings) to 127.0.0.1:PORT and returns everything read back up to the end of the
  line where `sentinel` appears (or until the connection ends; 60 s without a byte fail)."
  [port forms sentinel]
  (with-open [sock (Socket. "127.0.0.1" (int port))]
    (.setSoTimeout sock 60000)
    (let [w (PrintWriter. (.getOutputStream sock) true)
          r (BufferedReader. (InputStreamReader. (.getInputStream sock) "UTF-8"))
          sb (StringBuilder.)]
      (doseq [f forms] (.println w ^String f))
      (loop []
        (let [c (.read r)]
          (when (>= c 0)
            (.append sb (char c))
            (when-not (and (= c (int \newline)) (str/includes? (str sb) sentinel))
              (recur)))))
      (str sb))))

(defn- with-server [start name f]
  (let [srv (start name 0)]
    (try (f (.getLocalPort ^java.net.ServerSocket srv))
         (finally (server/stop-server name)))))

(def ^:private tiny-spec
  "{:name \"tiny\" :task {:type :flipflop :channels 1 :time 10} :model {:hidden 4}
    :train {:batch 4 :steps-per-epoch 2 :max-epochs 2 :threshold 10.0} :seeds 2
    :measure {:probe-trials 4 :ood-trials 4 :ntk-trials 2 :levels [:behaviour]}}")

(defn- temp-dir [] (str (Files/createTempDirectory "degen-repl" (make-array java.nio.file.attribute.FileAttribute 0))))

(deftest socket-repl-has-d-alias
  (with-server repl/start-socket! "degen-test"
    (fn [port]
      (let [out (converse port ["(d/with-overrides {:a {:b 1}} {:a {:c 2}})" ":done"] ":done")]
        (is (str/includes? out "{:a {:b 1, :c 2}}") out)))))

(deftest socket-repl-has-clojure-repl-tools
  (with-server repl/start-socket! "degen-test-doc"
    (fn [port]
      (let [out (converse port ["(doc d/plan)" "(map some? [#'source #'dir #'apropos #'pst #'find-doc])" ":done"] ":done")]
        (is (str/includes? out "degen.core/plan\n") out)
        (is (str/includes? out "Compiles the spec") out)
        (is (str/includes? out "(true true true true true)") out)
        (is (not (str/includes? out "Unable to resolve symbol")) out)))))

(deftest console-repl-has-doc-and-d
  ;; the console REPL is start! without ports: read *in*, print to *out* until EOF
  (let [out (StringWriter.)
        result (binding [*in* (clojure.lang.LineNumberingPushbackReader.
                               (StringReader. "(doc d/run!)\n(str *ns*)\n(:name (meta #'apropos))\n"))
                         *out* out]
                 (repl/start! {}))]
    (is (= {"repl" "closed" "socket" nil "prepl" nil} result))
    (is (str/includes? (str out) "degen.core/run!\n") (str out))
    (is (str/includes? (str out) "\"user\"") (str out))
    (is (str/includes? (str out) "apropos") (str out))
    (is (not (str/includes? (str out) "Unable to resolve")) (str out))))

(deftest socket-repl-progress-reaches-the-client
  (let [dir (temp-dir)
        err (StringWriter.)]
    (binding [*err* err] ; the server's console: the run's progress must not end up here
      (with-server repl/start-socket! "degen-test-progress"
        (fn [port]
          (let [out (converse port [(str "(:trained (d/run! " tiny-spec " {:out " (pr-str dir) " :workers 1 :backend :java :report false}))")
                                    ":done"] ":done")]
            (is (str/includes? out "experiment tiny: 1 condition(s), 2 run(s)") out)
            (is (re-find #"done: 2 trained" out) out)
            (is (re-find #"(?m)^(user=> )?2$" out) "the value of the form follows the progress")))))
    (is (not (str/includes? (str err) "experiment tiny")) (str err))))

(defn- prepl-messages
  "The EDN messages a prepl sent back, in order."
  [text]
  (let [r (java.io.PushbackReader. (StringReader. text))]
    (vec (take-while some? (repeatedly #(edn/read {:eof nil :default tagged-literal} r))))))

(deftest prepl-evaluates-in-the-prepared-user-namespace
  (with-server repl/start-prepl! "degen-test-prepl"
    (fn [port]
      (let [dir (temp-dir)
            text (converse port ["(+ 1 2)"
                                 "(doc d/validate)"
                                 "(str *ns*)"
                                 (str "(:runs (d/run! " tiny-spec " {:out " (pr-str dir) " :workers 1 :backend :java :report false}))")
                                 ":done"]
                           ":form \":done\"}")
            ms (prepl-messages text)
            rets (mapv :val (filter #(= :ret (:tag %)) ms))
            outs (apply str (map :val (filter #(= :out (:tag %)) ms)))
            errs (apply str (map :val (filter #(= :err (:tag %)) ms)))]
        (is (= ["3" "nil" "\"user\"" "2" ":done"] rets) text)
        (is (str/includes? outs "degen.core/validate") outs)
        (testing "a run's progress comes back as :err messages"
          (is (str/includes? errs "experiment tiny: 1 condition(s), 2 run(s)") errs))))))

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
