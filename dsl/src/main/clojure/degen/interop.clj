(ns degen.interop
  "The only place that names Java classes not yet in this tree (io.degen.plan.ExperimentSpec and
  the `run`/`report` CLI commands). They are resolved at call time through clojure.lang.Reflector,
  so this module compiles and loads without them; switch to direct interop once they exist."
  (:require [clojure.string]
            [degen.data :as data])
  (:import (clojure.lang Reflector)
           (java.io ByteArrayOutputStream PrintStream)
           (java.nio.charset StandardCharsets)))

(def experiment-spec-class "io.degen.plan.ExperimentSpec")

(defn- invoke [obj method & args]
  (Reflector/invokeInstanceMethod obj method (object-array args)))

(defn compile-plan
  "ExperimentSpec.fromMap(javaSpec, profile).compile() -> the Java Plan object."
  [java-spec profile]
  (let [es (Reflector/invokeStaticMethod ^String experiment-spec-class "fromMap"
                                         (object-array [java-spec profile]))]
    (invoke es "compile")))

(defn plan->clj
  "A Java Plan -> {:conditions [...] :runs [...]} (each element through toMap() when it has one),
  plus everything the plan's own toMap() returns, when it has one."
  [plan]
  (let [base (let [m (data/->clj plan)] (if (map? m) m {}))
        part (fn [method] (try (data/->clj (invoke plan method)) (catch IllegalArgumentException _ nil)))]
    (merge base
           (when-let [c (part "conditions")] {:conditions c})
           (when-let [r (part "runs")] {:runs r}))))

(defn cli
  "Runs `degen ARGS...` in this JVM through io.degen.cli.Main/run. Returns the parsed JSON result;
  throws ex-info with the command's stderr when the exit code is not 0."
  [& args]
  (let [out (ByteArrayOutputStream.) err (ByteArrayOutputStream.)
        rc (io.degen.cli.Main/run (into-array String (map str args))
                                  (PrintStream. out true "UTF-8") (PrintStream. err true "UTF-8"))
        out-s (.toString out StandardCharsets/UTF_8)
        err-s (.toString err StandardCharsets/UTF_8)]
    (if (zero? rc)
      (let [last-line (last (remove clojure.string/blank? (clojure.string/split-lines out-s)))]
        (if last-line (data/parse-json last-line) {}))
      (throw (ex-info (str "degen " (clojure.string/join " " args) " failed (exit " rc "): "
                           (clojure.string/trim err-s))
                      {:exit rc :stderr err-s :stdout out-s})))))

(defn run-command
  "The `degen run` invocation for a spec file."
  [spec-file {:keys [out workers ensemble backend profile]}]
  (apply cli (concat ["run" (str spec-file) "--out" (str out)]
                     (when workers ["--workers" workers])
                     (when ensemble ["--ensemble" ensemble])
                     (when backend ["--backend" backend])
                     (when profile ["--profile" (name profile)]))))

(defn report-command [dir] (cli "report" (str dir)))
