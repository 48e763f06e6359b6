(ns degen.core
  "The degen Clojure API: plain maps in, plain maps out, no hidden state.

    (def s (d/read-spec \"examples/flipflop.edn\"))
    (d/plan (d/profile s :quick))
    (d/run! (d/profile s :quick) {:out \"out/ff\" :workers 2})
    (d/degeneracy \"out/ff\")"
  (:refer-clojure :exclude [run!])
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.pprint]
            [clojure.string :as str]
            [degen.data :as data]
            [degen.interop :as interop]
            [degen.spec :as spec])
  (:import (io.degen.store RunArtifacts)
           (io.degen.task Task TaskRegistry TrialBatch)
           (java.nio.file Files Path)
           (java.util Map SplittableRandom)
           (java.util.function Function)))

;; ---------------------------------------------------------------------------------------------
;; Specs

(defn- ->path ^Path [p] (if (instance? Path p) p (.toPath (io/file (str p)))))

(defn parse-spec
  "EDN text -> spec map (not validated). `source` names the text in error messages."
  [text source]
  (try (edn/read-string text)
       (catch Exception e
         (throw (ex-info (str source ": cannot read EDN: " (.getMessage e)) {:type ::bad-edn :source source} e)))))

(defn validate
  "Returns the spec when valid; throws ex-info with one message naming the path and value
  otherwise, e.g. \"[:task :channels 2] must be a positive integer, got -1\"."
  [spec]
  (spec/validate! spec))

(defn read-spec
  "Reads and validates an EDN spec file."
  [path]
  (let [p (->path path)]
    (validate (parse-spec (Files/readString p) (str p)))))

(defn- deep-merge2 [a b]
  (if (and (map? a) (map? b)) (merge-with deep-merge2 a b) b))

(defn with-overrides
  "Deep merge: nested maps merge, any other value (vectors included) replaces."
  [base & overrides]
  (reduce deep-merge2 base overrides))

(defn profile
  "The spec with profile `kw` from its :profiles merged in (deep), :profiles removed, validated."
  [spec kw]
  (let [p (get-in spec [:profiles kw])]
    (when-not p
      (throw (ex-info (str "[:profiles " kw "] is not defined (defined: "
                           (str/join ", " (map pr-str (keys (:profiles spec)))) ")")
                      {:type ::no-profile :profile kw})))
    (validate (with-overrides (dissoc spec :profiles) p))))

(defn ->java-spec
  "A validated spec as plain Java data (keywords -> strings, vectors -> List, maps -> Map)."
  ^Map [spec]
  (data/->java (validate spec)))

(defn read-spec-java
  "Entry point of io.degen.dsl.EdnSpecReader: reads, validates and converts an EDN file."
  ^Map [path]
  (->java-spec (read-spec path)))

(defn plan
  "Compiles the spec (optionally a profile of it) into {:conditions [...] :runs [...]} through the
  Java ExperimentSpec."
  ([spec] (plan spec nil))
  ([spec profile-kw]
   (interop/plan->clj (interop/compile-plan (->java-spec spec) (some-> profile-kw name)))))

(defn run!
  "Trains every run of the spec with the Java runner (`degen run`): writes the spec to
  OUT/spec.edn and returns the command's JSON result as a map.
  Options: :out (required) :workers :ensemble (seeds per worker trained in lockstep)
  :backend (\"auto\", \"java\", \"mkl\", \"cuda\") :profile."
  [spec {:keys [out] :as opts}]
  (when-not out (throw (ex-info "run! needs :out, the output folder" {:type ::usage})))
  (validate spec)
  (let [dir (->path out)
        f (.resolve dir "spec.edn")]
    (Files/createDirectories dir (make-array java.nio.file.attribute.FileAttribute 0))
    (spit (.toFile f) (with-out-str (clojure.pprint/pprint spec)))
    (interop/run-command f (update opts :out str))))

(defn runs
  "Stored runs under DIR/runs/*/record.json (checksums verified by RunArtifacts.read), each as a
  keywordized map with :dir added. Folders without a record (unfinished runs) are skipped."
  [dir]
  (let [runs-dir (.toFile (.resolve (->path dir) "runs"))]
    (->> (.listFiles runs-dir)
         (filter #(.isFile (io/file % RunArtifacts/RECORD)))
         (sort-by #(.getName ^java.io.File %))
         (mapv (fn [^java.io.File d]
                 (let [stored (RunArtifacts/read (.toPath d))]
                   (assoc (data/->clj (.record stored)) :dir (str d))))))))

(defn degeneracy
  "DIR/metrics/*.json as a map from file name (without .json) to its keywordized content."
  [dir]
  (let [mdir (io/file (str dir) "metrics")]
    (into (sorted-map)
          (for [^java.io.File f (sort-by #(.getName ^java.io.File %) (.listFiles mdir))
                :when (and (.isFile f) (str/ends-with? (.getName f) ".json"))]
            [(str/replace (.getName f) #"\.json$" "") (data/parse-json (slurp f))]))))

(defn report!
  "Runs `degen report DIR` and returns its JSON result as a map."
  [dir]
  (interop/report-command dir))

;; ---------------------------------------------------------------------------------------------
;; User-defined tasks

(defn- flatten-trials
  "Nested (B,T,K) vectors or a flat double array -> [double-array T], checked against B and K."
  [x b k what task]
  (let [fail #(throw (IllegalArgumentException.
                      (str "task " task ": " what " " %)))]
    (if (instance? (Class/forName "[D") x)
      (let [^doubles a x n (alength a)]
        (when (or (zero? (* b k)) (not (zero? (mod n (* b k)))))
          (fail (str "has " n " values, not a multiple of batch*" what "-size " b "*" k)))
        [a (quot n (* b k))])
      (do
        (when-not (and (sequential? x) (= b (count x)))
          (fail (str "must be " b " trials (batch), got " (if (sequential? x) (count x) (type x)))))
        (let [t (count (first x))
              a (double-array (* b t k))]
          (doseq [[bi trial] (map-indexed vector x)]
            (when-not (= t (count trial)) (fail (str "trial " bi " has " (count trial) " steps, expected " t)))
            (doseq [[ti step] (map-indexed vector trial)]
              (when-not (= k (count step)) (fail (str "[" bi " " ti "] has " (count step) " values, expected " k)))
              (doseq [[ki v] (map-indexed vector step)]
                (aset a (+ (* (+ (* bi t) ti) k) ki) (double v)))))
          [a t])))))

(defn ->trial-batch
  "{:inputs :targets :mask} (nested vectors or flat double arrays, batch-major) -> TrialBatch.
  A missing :mask scores every output."
  ^TrialBatch [m b i o task]
  (let [[in t] (flatten-trials (:inputs m) b i "inputs" task)
        [tg t2] (flatten-trials (:targets m) b o "targets" task)
        [mk t3] (if (some? (:mask m))
                  (flatten-trials (:mask m) b o "mask" task)
                  [(doto (double-array (* b t o)) (java.util.Arrays/fill 1.0)) t])]
    (when-not (= t t2 t3)
      (throw (IllegalArgumentException.
              (str "task " task ": inputs, targets and mask differ in length (" t ", " t2 ", " t3 " steps)"))))
    (TrialBatch. (int b) (int t) (int i) (int o) in tg mk)))

(defn- option-value [v] (if (string? v) (keyword v) v))

(defn- resolve-meta [x opts] (if (fn? x) (x opts) x))

(defn make-task
  "A Java io.degen.task.Task from a Clojure generator (see register-task!) and options (Clojure
  map, keyword keys)."
  ^Task [type-kw f {:keys [ood-fn] :as meta} options]
  (let [tname (name type-kw)
        opts (dissoc options :type)
        time (long (or (:time opts) (resolve-meta (:time meta) opts)))
        n-in (int (resolve-meta (:inputs meta) opts))
        n-out (int (resolve-meta (:outputs meta) opts))
        threshold (double (or (resolve-meta (:threshold meta) opts) 1e-3))
        ood (or ood-fn (fn [rng o] (f rng (assoc o :time (* 2 (:time o))))))
        java-opts (java.util.Collections/unmodifiableMap
                   (data/->java (assoc opts :type tname)))]
    (reify Task
      (type [_] tname)
      (inputSize [_] n-in)
      (outputSize [_] n-out)
      (trialLength [_] (int time))
      (threshold [_] threshold)
      (batch [_ b rng] (->trial-batch (f rng (assoc opts :batch b :time time)) b n-in n-out tname))
      (oodBatch [_ b rng] (->trial-batch (ood rng (assoc opts :batch b :time time)) b n-in n-out tname))
      (options [_] java-opts))))

(defn register-task!
  "Registers a user-defined task type in io.degen.task.TaskRegistry, so specs can name it like a
  built-in task. `f` is (fn [^SplittableRandom rng opts] {:inputs :targets :mask}) returning a
  batch of (:batch opts) trials of (:time opts) steps, as nested vectors (B,T,I)/(B,T,O) or flat
  C-order double arrays; :mask is optional (all ones). `meta`: :inputs :outputs :time :threshold
  (numbers, or fns of the options map) and optional :ood-fn (default: f with doubled :time).
  Spec options of the task are passed through in opts (keyword keys). Returns the type keyword."
  [type-kw f meta]
  (doseq [k [:inputs :outputs :time]]
    (when-not (contains? meta k)
      (throw (ex-info (str "register-task! " type-kw " needs " k) {:type ::usage :missing k}))))
  (when (contains? spec/task-options type-kw)
    (throw (ex-info (str "register-task! " type-kw " is a built-in task") {:type ::usage})))
  (TaskRegistry/register
   (name type-kw)
   (reify Function
     (apply [_ java-opts]
       (let [opts (into {} (map (fn [[k v]] [(keyword k) (option-value v)])) java-opts)]
         (make-task type-kw f meta opts)))))
  type-kw)
