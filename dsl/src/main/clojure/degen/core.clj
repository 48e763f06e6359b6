(ns degen.core
  "The degen Clojure API: plain maps in, plain maps out, no hidden state. Every function calls
  the Java experiment API (io.degen.pipeline.Experiment) directly and returns its result as
  keywordized Clojure data (the JSON policy's snake_case keys).

    (def s (d/read-spec \"examples/repl-flipflop.edn\"))
    (d/plan (d/profile s :quick))
    (d/run! (d/profile s :quick) {:out \"out/ff\" :workers 2})
    (d/degeneracy \"out/ff\")

  Options of run!, measure!, simulate are closed: an unknown key is an error."
  (:refer-clojure :exclude [run!])
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.set :as set]
            [clojure.string :as str]
            [degen.data :as data]
            [degen.spec :as spec])
  (:import (io.degen.backend Backends)
           (io.degen.dsl WriterPrintStream)
           (io.degen.io NdArray)
           (io.degen.pipeline Experiment Experiment$TrainOptions Networks Networks$Trajectories Networks$Trials)
           (io.degen.store RunArtifacts)
           (io.degen.task Task TaskRegistry TrialBatch)
           (java.io PrintStream)
           (java.nio.file FileSystemException Files Path)
           (java.util Map SplittableRandom)
           (java.util.function Function)))

;; ---------------------------------------------------------------------------------------------
;; Specs

(defn- ->path ^Path [p] (if (instance? Path p) p (.toPath (io/file (str p)))))

(def max-depth
  "Deepest nesting an EDN spec may have (a real spec nests 4 levels): deeper text is refused before
  the reader recurses into it."
  64)

(defn- nesting-depth
  "The deepest bracket nesting of EDN text, strings, characters and comments skipped."
  ^long [^String text]
  (let [n (.length text)]
    (loop [i 0 depth 0 deepest 0]
      (if (>= i n)
        deepest
        (let [c (.charAt text i)]
          (case c
            (\( \[ \{) (recur (inc i) (inc depth) (max deepest (inc depth)))
            (\) \] \}) (recur (inc i) (max 0 (dec depth)) deepest)
            \" (let [j (loop [j (inc i)]
                         (cond (>= j n) j
                               (= \\ (.charAt text j)) (recur (+ j 2))
                               (= \" (.charAt text j)) (inc j)
                               :else (recur (inc j))))]
                 (recur j depth deepest))
            \; (let [j (.indexOf text "\n" (int i))] (recur (if (neg? j) n j) depth deepest))
            \\ (recur (+ i 2) depth deepest)
            (recur (inc i) depth deepest)))))))

(defn- line-at
  "Line `n` (1-based) of `text`, shortened, to show where the reader stopped."
  [^String text n]
  (let [line (or (nth (str/split-lines text) (dec n) nil) "")]
    (if (> (count line) 60) (str (subs line 0 60) "...") line)))

(defn- reader-failure
  "The reader's complaint, with the line it stopped on: the reader's own message (\"No dispatch macro
  for: \") names neither the line nor what it found there."
  [^Exception e ^clojure.lang.LineNumberingPushbackReader r text]
  (let [n (.getLineNumber r) ; where the reader stopped
        ;; EdnReader wraps the complaint (its line field is not public): show the complaint itself
        why (.getMessage (or (when (instance? clojure.lang.EdnReader$ReaderException e) (.getCause e)) e))]
    (str "line " n ": " why " (at " (pr-str (line-at text n)) "); a spec file holds one EDN map")))

(defn parse-spec
  "EDN text -> spec map (not validated). `source` names the text in error messages. Refused: text
  nested deeper than `max-depth`, and anything after the first form."
  [text source]
  (let [fail (fn [why e] (throw (ex-info (str source ": cannot read EDN: " why) {:type ::bad-edn :source (str source)} e)))]
    (when (> (nesting-depth text) max-depth)
      (fail (str "nested deeper than " max-depth " levels") nil))
    (let [r (clojure.lang.LineNumberingPushbackReader. (java.io.StringReader. text))
          form (try (edn/read {:eof ::eof} r) (catch Exception e (fail (reader-failure e r text) e)))
          more (try (edn/read {:eof ::eof} r) (catch Exception e (fail (str "after the first form: " (reader-failure e r text)) e)))]
      (when (= ::eof form) (fail "the file holds no form" nil))
      (when-not (= ::eof more)
        (fail (str "there is more after the first form (" (let [s (pr-str more)] (if (> (count s) 60) (str (subs s 0 60) "...") s))
                   "); a spec file holds one map") nil))
      form)))

(defn validate
  "Returns the spec when valid; throws ex-info with one message naming the path and value
  otherwise, e.g. \"[:task :channels 2] must be a positive integer, got -1\" (the Java validator's)."
  [spec]
  (spec/validate! spec))

(defn read-spec
  "Reads and validates an EDN spec file."
  [path]
  (let [p (->path path)]
    (when-not (Files/isRegularFile p (make-array java.nio.file.LinkOption 0))
      (throw (ex-info (str "read-spec: " (if (Files/isDirectory p (make-array java.nio.file.LinkOption 0)) "not a file, a directory: " "no such file: ") p)
                      {:type ::usage :path (str p)})))
    (validate (parse-spec (Files/readString p) (str p)))))

(defn- deep-merge2 [a b]
  (if (and (map? a) (map? b)) (merge-with deep-merge2 a b) b))

(defn with-overrides
  "Deep merge: nested maps merge, any other value (vectors included) replaces; the same rule as a
  profile's merge."
  [base & overrides]
  (reduce deep-merge2 base overrides))

(defn profile
  "The spec with profile `kw` from its :profiles merged in (deep), :profiles removed, validated."
  [spec kw]
  (let [p (get-in spec [:profiles kw])]
    (when-not p
      (throw (ex-info (str "[:profiles] has no profile " (pr-str kw) " ("
                           (if (seq (:profiles spec))
                             (str "known: " (str/join ", " (map pr-str (keys (:profiles spec)))))
                             "this spec defines no profiles")
                           ")")
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

(defn- java-plan [spec profile-kw]
  (Experiment/plan (->java-spec spec) (some-> profile-kw name)))

(defn plan
  "Compiles the spec (optionally a profile of it) into its plan: conditions, runs, ids, cost."
  ([spec] (plan spec nil))
  ([spec profile-kw] (data/->clj (.toMap (java-plan spec profile-kw)))))

(defn- check-options [fname opts allowed]
  (when-not (map? opts) (throw (ex-info (str fname " takes an options map, got " (pr-str opts)) {:type ::usage})))
  (when-let [bad (seq (set/difference (set (keys opts)) allowed))]
    (throw (ex-info (str fname ": unknown option(s) " (str/join ", " (map pr-str (sort bad)))
                         " (known: " (str/join ", " (map pr-str (sort allowed))) ")")
                    {:type ::usage :unknown (vec bad)}))))

(def ^:private cores (.availableProcessors (Runtime/getRuntime)))

(defn- with-engine [backend f]
  (with-open [be (Backends/create (some-> backend name))]
    (f be)))

(defn- progress
  "Where the Java pipeline reports progress: the caller's *err*, so a socket REPL or prepl client sees
  the progress of its own run! (System/err would be the server's console)."
  ^PrintStream []
  (WriterPrintStream/of *err*))

(defn- fs-reason [^FileSystemException e]
  (or (.getReason e)
      (condp instance? e
        java.nio.file.NoSuchFileException "no such file or directory"
        java.nio.file.AccessDeniedException "permission denied"
        java.nio.file.FileAlreadyExistsException "already exists"
        java.nio.file.NotDirectoryException "not a directory"
        (.getSimpleName (class e)))))

(defn- with-store-errors
  "Calls f; a file-system failure becomes ex-info naming the store and the path, where the Java
  exception alone (e.g. NoSuchFileException: /proc/forbidden) says neither what failed nor why."
  [fname store f]
  (try (f)
       (catch FileSystemException e
         (throw (ex-info (str fname ": "
                              (if (= (str (->path store)) (.getFile e))
                                (str "cannot create or access the store " store)
                                (str "in the store " store ": cannot create or access " (.getFile e)))
                              (when-let [o (.getOtherFile e)] (str " -> " o)) ": " (fs-reason e))
                         {:type ::io :store (str store) :path (.getFile e)} e)))))

(def run-options #{:out :workers :ensemble :backend :profile :shard :report})

(defn run!
  "Trains, measures and reports the spec into the store :out (resumable), like `degen run`.
  Options: :out (required), :workers (default: all cores), :ensemble (seeds per worker trained in
  lockstep), :backend (:auto :java :mkl :cuda), :profile, :shard [i k], :report (default true).
  Returns the run summary."
  [spec {:keys [out workers ensemble backend profile shard report] :or {report true} :as opts}]
  (check-options "run!" opts run-options)
  (when-not out (throw (ex-info "run! needs :out, the output folder" {:type ::usage})))
  (let [p (java-plan spec profile)
        [i k] (or shard [0 1])
        o (Experiment$TrainOptions. (int (or workers cores)) (int (or ensemble 1)) (int i) (int k))]
    (with-store-errors "run!" out
      #(with-engine backend (fn [be] (data/->clj (Experiment/run p (->path out) o (boolean report) be (progress))))))))

(defn measure!
  "Computes the metrics of a trained store (`degen measure`), from the plan it holds.
  Options: :workers, :backend."
  ([dir] (measure! dir {}))
  ([dir {:keys [workers backend] :as opts}]
   (check-options "measure!" opts #{:workers :backend})
   (with-store-errors "measure!" dir
     #(with-engine backend (fn [be] (data/->clj (Experiment/measure (->path dir) (int (or workers cores)) be (progress))))))))

(defn- existing-dir ^java.io.File [dir what]
  (let [f (io/file (str dir))]
    (when-not (.isDirectory f) (throw (ex-info (str what ": no such directory: " dir) {:type ::usage :dir (str dir)})))
    f))

(defn runs
  "Stored runs under DIR/runs/*/record.json (checksums verified by RunArtifacts.read), each as a
  keywordized map with :dir added. Folders without a record (unfinished runs) are skipped."
  [dir]
  (let [runs-dir (io/file (existing-dir dir "runs") "runs")]
    (->> (or (.listFiles runs-dir) (make-array java.io.File 0))
         (filter #(.isFile (io/file % RunArtifacts/RECORD)))
         (sort-by #(.getName ^java.io.File %))
         (mapv (fn [^java.io.File d]
                 (let [stored (RunArtifacts/read (.toPath d))]
                   (assoc (data/->clj (.record stored)) :dir (str d))))))))

(defn degeneracy
  "DIR/metrics/*.json as a map from file name (without .json) to its keywordized content."
  [dir]
  (let [mdir (io/file (existing-dir dir "degeneracy") "metrics")]
    (into (sorted-map)
          (for [^java.io.File f (sort-by #(.getName ^java.io.File %) (or (.listFiles mdir) (make-array java.io.File 0)))
                :when (and (.isFile f) (str/ends-with? (.getName f) ".json"))]
            [(str/replace (.getName f) #"\.json$" "") (data/parse-json (slurp f))]))))

(defn report!
  "Writes DIR/report (`degen report`) and returns what it wrote."
  [dir]
  (with-store-errors "report!" dir #(data/->clj (Experiment/report (->path dir)))))

(defn verdict
  "Judges stored studies against their specs' :expect (`degen verdict DIR...`): a map with :cells
  (per figure and level: the estimate per condition with its interval, the :effect across the sweep,
  :p-holm and :verdict, one of \"agree\" \"disagree\" \"n.s.\" \"unresolved\" \"not judged\"), :counts
  per level, and :markdown, the table as the command prints it. Reads, never writes."
  [& dirs]
  (when (empty? dirs) (throw (ex-info "verdict: give at least one store directory" {:type ::usage})))
  (let [t (Experiment/verdict (mapv ->path dirs))]
    (assoc (data/->clj t) :markdown (.markdown t))))

;; ---------------------------------------------------------------------------------------------
;; Single networks

(defn- nested->ndarray
  "Nested vectors (trials, time, inputs) of numbers -> a float64 NdArray; ragged or non-numeric
  input is refused naming the place."
  ^NdArray [x what]
  (let [fail #(throw (ex-info (str what " must be nested vectors (trials, time, inputs) of numbers: " %) {:type ::usage}))
        _ (when-not (and (sequential? x) (seq x)) (fail (str "got " (if (sequential? x) "no trials" (pr-str (type x))))))
        t (if (sequential? (first x)) (count (first x)) 0)
        k (if (and (pos? t) (sequential? (first (first x)))) (count (first (first x))) 0)
        _ (when (zero? (* t k)) (fail "trial 0 has no steps or a step has no values"))
        a (double-array (* (count x) t k))]
    (doseq [[bi trial] (map-indexed vector x)]
      (when-not (and (sequential? trial) (= t (count trial))) (fail (str "trial " bi " has " (if (sequential? trial) (count trial) "no") " steps, expected " t)))
      (doseq [[ti step] (map-indexed vector trial)]
        (when-not (and (sequential? step) (= k (count step))) (fail (str "[" bi " " ti "] has " (if (sequential? step) (count step) "no") " values, expected " k)))
        (doseq [[ki v] (map-indexed vector step)]
          (when-not (number? v) (fail (str "[" bi " " ti " " ki "] is " (pr-str v))))
          (aset a (+ (* (+ (* bi t) ti) k) ki) (double v)))))
    (NdArray/f64 a (int-array [(count x) t k]))))

(defn- ndarray->nested
  "An NdArray -> nested vectors of doubles, one level per dimension (C order)."
  [^NdArray a]
  (when a
    (let [data (vec (.data a))]
      (reduce (fn [v d] (mapv vec (partition d v))) data (reverse (rest (vec (.shape a))))))))

(def simulate-options #{:trials :seed :ood :inputs :out :backend})

(defn- generated-trials [{:keys [trials seed ood] :or {trials 64 seed 0 ood false}}]
  (when-not (and (integer? trials) (pos? trials)) (throw (ex-info (str "simulate: :trials must be a positive integer, got " (pr-str trials)) {:type ::usage})))
  (when-not (and (integer? seed) (not (neg? seed))) (throw (ex-info (str "simulate: :seed must be an integer >= 0, got " (pr-str seed)) {:type ::usage})))
  (when-not (boolean? ood) (throw (ex-info (str "simulate: :ood must be true or false, got " (pr-str ood)) {:type ::usage})))
  (Networks$Trials/generated (int trials) (long seed) (boolean ood)))

(defn simulate
  "Runs a stored network (a run directory) forward, like `degen simulate`, through
  io.degen.pipeline.Networks. Trials: :trials (default 64), :seed (0) and :ood (false) for trials
  its task generates, or :inputs, your own as nested vectors (trials, time, inputs). Without :out
  returns {:hidden :output :inputs :targets :mask :loss} as nested vectors, batch-major (:targets,
  :mask and :loss nil for :inputs, which have no targets); with :out writes the file as the command
  does (.npz: every array, float64; any other name: the hidden states as float32 .npy) and returns
  what it wrote. :backend chooses the engine. An unknown option is an error."
  ([run-dir] (simulate run-dir {}))
  ([run-dir {:keys [inputs out backend] :as opts}]
   (check-options "simulate" opts simulate-options)
   (when-let [both (and (contains? opts :inputs) (seq (filter #(contains? opts %) [:trials :seed :ood])))]
     (throw (ex-info (str "simulate: " (str/join ", " (map pr-str both)) " for trials the task generates; :inputs gives the trials: use one or the other")
                     {:type ::usage})))
   (let [dir (.toPath (existing-dir run-dir "simulate"))
         trials (if (contains? opts :inputs) (Networks$Trials/given (nested->ndarray inputs ":inputs") ":inputs") (generated-trials opts))]
     (with-engine backend
       (fn [be]
         (if out
           (data/->clj (Networks/simulate dir trials (->path out) be))
           (let [^Networks$Trajectories t (Networks/trajectories dir trials be)]
             {:hidden (ndarray->nested (.hidden t)) :output (ndarray->nested (.output t)) :inputs (ndarray->nested (.inputs t))
              :targets (ndarray->nested (.targets t)) :mask (ndarray->nested (.mask t))
              :loss (when (Double/isFinite (.loss t)) (.loss t))})))))))

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

(defn- task-option
  "One declared option {:type :integer|:number|:boolean|:choice :default v :min :max :values [...] :doc}
  -> io.degen.task.TaskOption."
  [k {:keys [type default min max values doc]}]
  (let [kname (name k) doc (or doc "")]
    (case type
      :integer (io.degen.task.TaskOption/integer kname (int default) (int (or min Integer/MIN_VALUE)) (int (or max Integer/MAX_VALUE)) doc)
      :number (io.degen.task.TaskOption/number kname (double default) (double (or min (- Double/MAX_VALUE))) (double (or max Double/MAX_VALUE)) doc)
      :boolean (io.degen.task.TaskOption/bool kname (boolean default) doc)
      :choice (io.degen.task.TaskOption/choice kname (name default) (mapv name values) doc)
      (throw (ex-info (str "option " k " needs :type :integer, :number, :boolean or :choice, got " (pr-str type))
                      {:type ::usage :option k})))))

(defn register-task!
  "Registers a user-defined task type in io.degen.task.TaskRegistry, so specs can name it like a
  built-in task. `f` is (fn [^SplittableRandom rng opts] {:inputs :targets :mask}) returning a
  batch of (:batch opts) trials of (:time opts) steps, as nested vectors (B,T,I)/(B,T,O) or flat
  C-order double arrays; :mask is optional (all ones). `meta`: :inputs :outputs :time :threshold
  (numbers, or fns of the options map), optional :ood-fn (default: f with doubled :time) and
  optional :options, the task's declared options {:gain {:type :number :default 1.0 :min 0 :max 10}
  ...}; with :options, specs validate the task's options like a built-in task's (unknown keys and
  bad values are errors, defaults are filled in; a numeric :time in meta declares :time too);
  without, any number, boolean or keyword passes through to `f`. Returns the type keyword."
  [type-kw f meta]
  (doseq [k [:inputs :outputs :time]]
    (when-not (contains? meta k)
      (throw (ex-info (str "register-task! " type-kw " needs " k) {:type ::usage :missing k}))))
  (when (TaskRegistry/builtIn (name type-kw))
    (throw (ex-info (str "register-task! " type-kw " is a built-in task") {:type ::usage})))
  (let [declared (when-let [opts (:options meta)]
                   (cond-> (mapv (fn [[k o]] (task-option k o)) opts)
                     (and (number? (:time meta)) (not (contains? opts :time)))
                     (conj (io.degen.task.TaskOption/integer "time" (int (:time meta)) 1 100000 "trial length (steps)"))))
        factory (reify Function
                  (apply [_ java-opts]
                    (let [full (if declared (.options (io.degen.task.TaskOptions. (name type-kw) declared java-opts)) java-opts)
                          opts (into {} (map (fn [[k v]] [(keyword k) (option-value v)])) full)]
                      (make-task type-kw f meta opts))))]
    (if declared
      (TaskRegistry/register (name type-kw) declared factory)
      (TaskRegistry/register (name type-kw) factory)))
  type-kw)
