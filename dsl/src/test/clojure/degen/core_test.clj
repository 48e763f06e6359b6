(ns degen.core-test
  (:require [clojure.java.io :as io]
            [clojure.test :refer [deftest is testing]]
            [degen.core :as d]
            [degen.data :as data]
)
  (:import (io.degen.backend JavaBackend)
           (io.degen.config ModelConfig RunConfig TrainConfig)
           (io.degen.pipeline Networks Networks$Trials)
           (io.degen.store RunArtifacts)
           (io.degen.task TaskRegistry)
           (io.degen.train Trainer)
           (java.nio.file Files)
           (java.util List Map SplittableRandom)))

(defn- temp-dir [] (.toFile (Files/createTempDirectory "degen-dsl" (make-array java.nio.file.attribute.FileAttribute 0))))

(deftest deep-merge-overrides
  (is (= {:task {:type :flipflop :channels 3 :time 50} :model {:hidden 32 :type :mup} :seeds 3}
         (d/with-overrides {:task {:type :flipflop :channels [1 2]} :model {:hidden 128 :type :mup} :seeds 50}
           {:task {:channels 3}} {:model {:hidden 32}} {:seeds 3 :task {:time 50}})))
  (is (= {:a [3]} (d/with-overrides {:a [1 2]} {:a [3]})) "vectors replace, not concatenate")
  (is (= {:a 1} (d/with-overrides {:a 1})))
  (testing "profile merges and drops :profiles"
    (let [s {:name "x" :task {:type :flipflop} :seeds 50 :model {:hidden 128 :type :standard}
             :profiles {:quick {:seeds 3 :model {:hidden 32}}}}]
      (is (= {:name "x" :task {:type :flipflop} :seeds 3 :model {:hidden 32 :type :standard}}
             (d/profile s :quick)))
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #"\[:profiles\] has no profile :slow" (d/profile s :slow))))))

(deftest edn-to-java-conversion
  (let [m (d/->java-spec {:name "n" :task {:type :delayed-discrimination :channels [1 2] :aux true}
                          :measure {:levels [:behaviour :weights] :dsa {:score :angular}}})]
    (is (instance? Map m))
    (is (= "delayed-discrimination" (get-in m ["task" "type"])))
    (is (instance? List (get-in m ["task" "channels"])))
    (is (= [1 2] (vec (get-in m ["task" "channels"]))))
    (is (= true (get-in m ["task" "aux"])))
    (is (= ["behaviour" "weights"] (vec (get-in m ["measure" "levels"]))))
    (is (= "angular" (get-in m ["measure" "dsa" "score"])))
    (is (every? string? (keys m))))
  (is (= {:a [1 {:b "c"}]} (data/->clj (data/->java {:a [1 {:b "c"}]})))))

(deftest edn-spec-reader-through-java
  (let [dir (temp-dir)
        good (io/file dir "good.edn") bad (io/file dir "bad.edn")
        reader (io.degen.dsl.EdnSpecReader.)
        loaded (some #(when (instance? io.degen.dsl.EdnSpecReader %) %)
                     (java.util.ServiceLoader/load io.degen.plan.SpecReader))]
    (spit good "{:name \"ff\" :task {:type :flipflop :channels [1 2]} :seeds 2}")
    (spit bad "{:name \"ff\" :task {:type :flipflop :channels [1 2 -1]}}")
    (is (some? loaded) "registered through ServiceLoader")
    (is (.accepts reader (.toPath good)))
    (is (not (.accepts reader (.toPath (io/file dir "x.json")))))
    (let [m (.read reader (.toPath good))]
      (is (= "flipflop" (get-in m ["task" "type"])))
      (is (= [1 2] (vec (get-in m ["task" "channels"])))))
    (let [e (try (.read reader (.toPath bad)) nil (catch IllegalArgumentException e e))]
      (is (instance? IllegalArgumentException e))
      (is (= "[:task :channels 2] must be a positive integer, got -1" (some-> e .getMessage))))
    (is (thrown? java.nio.file.NoSuchFileException (.read reader (.toPath (io/file dir "missing.edn")))))))

(defn- ramp-task
  "Input: a constant random level per trial on 1 channel; targets: [level, -level]; mask: last half."
  [^SplittableRandom rng {:keys [batch time gain] :or {gain 1.0}}]
  (let [levels (vec (repeatedly batch #(.nextDouble rng)))]
    {:inputs (vec (for [l levels] (vec (repeat time [l]))))
     :targets (vec (for [l levels] (vec (repeat time [(* gain l) (- (* gain l))]))))
     :mask (vec (for [_ levels] (vec (for [t (range time)] (if (>= t (quot time 2)) [1 1] [0 0])))))}))

(deftest user-defined-task
  (d/register-task! :clj-ramp ramp-task {:inputs 1 :outputs 2 :time 6 :threshold 1e-2})
  (is (TaskRegistry/has "clj-ramp"))
  (is (d/validate {:name "u" :task {:type :clj-ramp :gain [1.0 2.0] :mode :fast}}))
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"\[:task :gain\] must be a number, boolean or string, got \{"
                        (d/validate {:name "u" :task {:type :clj-ramp :gain {:a 1}}})))
  (testing "declared options validate like a built-in task's and get their defaults"
    (d/register-task! :clj-ramp-declared ramp-task {:inputs 1 :outputs 2 :time 6
                                                    :options {:gain {:type :number :default 1.0 :min 0 :max 10}}})
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"\[:task :gain\] must be a number, got \"x\""
                          (d/validate {:name "u" :task {:type :clj-ramp-declared :gain "x"}})))
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"\[:task :mode\] is not an option of task clj-ramp-declared \(known: gain, time\)"
                          (d/validate {:name "u" :task {:type :clj-ramp-declared :mode :fast}})))
    (let [p (d/plan {:name "ramp" :task {:type :clj-ramp-declared :gain 2.0 :time 10} :model {:hidden 8} :seeds 1})]
      (is (= {:type "clj-ramp-declared" :gain 2.0 :time 10} (get-in p [:conditions 0 :config :task]))))
    (is (= {"type" "clj-ramp-declared" "gain" 1.0 "time" 6}
           (into {} (.options (TaskRegistry/create {"type" "clj-ramp-declared"})))) "defaults filled in"))
  (let [task (TaskRegistry/create {"type" "clj-ramp" "gain" 2.0})
        tb (.batch task 3 (SplittableRandom. 7))
        levels (let [r (SplittableRandom. 7)] (vec (repeatedly 3 #(.nextDouble r))))]
    (is (= ["clj-ramp" 1 2 6 1e-2] [(.type task) (.inputSize task) (.outputSize task) (.trialLength task) (.threshold task)]))
    (is (= {"type" "clj-ramp" "gain" 2.0} (into {} (.options task))))
    (is (= [3 6 1 2] [(.batch tb) (.time tb) (.inputs tb) (.outputs tb)]))
    (is (= (* 3 6) (alength (.input tb))))
    (is (= (nth levels 1) (aget (.input tb) (.inIndex tb 1 4 0))))
    (is (= (* 2.0 (nth levels 2)) (aget (.target tb) (.outIndex tb 2 5 0))))
    (is (= (* -2.0 (nth levels 2)) (aget (.target tb) (.outIndex tb 2 5 1))))
    (is (= 0.0 (aget (.mask tb) (.outIndex tb 0 2 1))))
    (is (= 1.0 (aget (.mask tb) (.outIndex tb 0 3 1))))
    (is (= (* 3 2 3.0) (.maskCount tb)))
    (testing "OOD form doubles the trial length by default"
      (let [ood (.oodBatch task 2 (SplittableRandom. 1))]
        (is (= [2 12] [(.batch ood) (.time ood)])))))
  (testing "flat double arrays and a custom OOD fn"
    (d/register-task! :clj-flat
                      (fn [_ {:keys [batch time]}]
                        {:inputs (double-array (* batch time) 0.5) :targets (double-array (* batch time) 0.25)})
                      {:inputs 1 :outputs 1 :time 4
                       :ood-fn (fn [_ {:keys [batch]}] {:inputs (double-array (* batch 9)) :targets (double-array (* batch 9))})})
    (let [task (TaskRegistry/create {"type" "clj-flat"})
          tb (.batch task 2 (SplittableRandom. 1))]
      (is (= [2 4 1 1 0.5 8.0] [(.batch tb) (.time tb) (.inputs tb) (.outputs tb) (aget (.input tb) 7) (.maskCount tb)]))
      (is (= 9 (.time (.oodBatch task 2 (SplittableRandom. 1)))))))
  (testing "a wrong shape names the task"
    (d/register-task! :clj-bad (fn [_ _] {:inputs [[[1.0]]] :targets [[[1.0]]]}) {:inputs 1 :outputs 1 :time 1})
    (is (thrown-with-msg? IllegalArgumentException #"task clj-bad: inputs must be 2 trials"
                          (.batch (TaskRegistry/create {"type" "clj-bad"}) 2 (SplittableRandom. 1))))))

(deftest user-task-trains-and-runs-are-read-back
  (d/register-task! :clj-ramp ramp-task {:inputs 1 :outputs 2 :time 6 :threshold 1e-2})
  (let [train (-> (TrainConfig/defaults) (.withBatch 4) (.withStepsPerEpoch 2) (.withMaxEpochs 2))
        run (RunConfig. {"type" "clj-ramp"} (ModelConfig/standard 8) train 3)
        epochs (atom [])
        result (with-open [be (JavaBackend.)]
                 (.train (Trainer. be) run (reify io.degen.train.Trainer$Listener
                                             (epoch [_ e loss lr] (swap! epochs conj loss)))))]
    (is (<= 1 (.epochs result) 2))
    (is (every? #(Double/isFinite %) @epochs))
    (is (Double/isFinite (.finalLoss result)))
    (testing "d/runs reads the stored record back"
      (let [dir (temp-dir)]
        (RunArtifacts/write (.toPath (io/file dir "runs")) run result)
        (.mkdirs (io/file dir "runs" "unfinished"))
        (let [[r :as rs] (d/runs dir)]
          (is (= 1 (count rs)))
          (is (= (.id run) (:id r)))
          (is (= "clj-ramp" (get-in r [:config :task :type])))
          (is (= 8 (get-in r [:config :model :hidden]))))))))

(deftest degeneracy-reads-metrics
  (let [dir (temp-dir)]
    (.mkdirs (io/file dir "metrics"))
    (spit (io/file dir "metrics" "c1.json") "{\"behaviour\": {\"ood-loss-sd\": 0.5}, \"levels\": [\"behaviour\"]}")
    (spit (io/file dir "metrics" "notes.txt") "ignored")
    (is (= {"c1" {:behaviour {:ood-loss-sd 0.5} :levels ["behaviour"]}} (d/degeneracy dir)))))

(deftest run-options-are-closed-and-reach-the-java-api
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"run!: unknown option\(s\) :wrokers"
                        (d/run! {:name "x" :task {:type :flipflop}} {:out "o" :wrokers 2})))
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"needs :out" (d/run! {:name "x" :task {:type :flipflop}} {})))
  (let [dir (temp-dir)
        spec {:name "tiny" :task {:type :flipflop :channels 1 :time 10} :model {:hidden 4}
              :train {:batch 4 :steps-per-epoch 2 :max-epochs 2 :threshold 10.0} :seeds 2
              :measure {:probe-trials 4 :ood-trials 4 :ntk-trials 2 :levels [:behaviour]}}
        r (d/run! spec {:out (str dir) :workers 1 :ensemble 2 :backend :java :report false})]
    (is (= 2 (:runs r)))
    (is (= 2 (:trained r)))
    (is (true? (:metrics r)))
    (is (nil? (:report r)) ":report false writes no report")
    (is (= 2 (count (d/runs dir))))
    (is (= 1 (:conditions (d/measure! dir {:workers 1 :backend :java}))) "measure! again from the stored plan")
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"no such directory" (d/runs (io/file dir "nope"))))
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"no such directory" (d/degeneracy (io/file dir "nope"))))))

(deftest verdict-judges-a-store-as-plain-data
  (let [dir (temp-dir)
        spec {:name "tiny" :task {:type :flipflop :channels 1 :time 10} :model {:hidden 4}
              :train {:batch 4 :steps-per-epoch 2 :max-epochs 2 :threshold 10.0 :patience 0} :seeds 3
              :control {:nuclear [0 1e-3]} :expect {:behaviour :down}
              :measure {:probe-trials 4 :ood-trials 4 :ntk-trials 2 :levels [:behaviour]}}
        _ (d/run! spec {:out (str dir) :workers 1 :backend :java :report false})
        v (d/verdict dir)
        [cell] (:cells v)]
    (is (= 1 (count (:cells v))) "only the measured level")
    (is (= "behaviour" (:level cell)))
    (is (= "nuclear" (:knob cell)))
    (is (= "down" (:expected cell)))
    (is (contains? #{"agree" "disagree" "n.s."} (:verdict cell)))
    (is (= "permutation" (get-in cell [:effect :test])))
    (is (= 1 (reduce + (vals (get-in v [:counts :behaviour])))))
    (is (re-find #"^\| figure \| knob \| level" (:markdown v)))
    (is (thrown-with-msg? IllegalArgumentException #"not an experiment store" (d/verdict (io/file dir "runs"))))
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"at least one store" (d/verdict)))))

(defn- stored-network
  "A tiny flip-flop network trained for one epoch and stored under DIR/runs; its run directory."
  [dir]
  (let [train (-> (TrainConfig/defaults) (.withBatch 4) (.withStepsPerEpoch 1) (.withMaxEpochs 1))
        run (RunConfig. {"type" "flipflop" "channels" 2 "time" 6} (ModelConfig/standard 5) train 1)
        result (with-open [be (JavaBackend.)]
                 (.train (Trainer. be) run (reify io.degen.train.Trainer$Listener (epoch [_ e loss lr]))))]
    (str (RunArtifacts/write (.toPath (io/file dir "runs")) run result))))

(deftest simulate-runs-a-stored-network-as-plain-data
  (let [dir (temp-dir)
        net (stored-network dir)
        r (d/simulate net {:trials 3 :seed 7 :backend :java})
        task (TaskRegistry/create {"type" "flipflop" "channels" 2 "time" 6})
        tb (.batch task 3 (SplittableRandom. 7))]
    (testing "the task's trials: every array as nested vectors, batch-major"
      (is (= [3 6 5] [(count (:hidden r)) (count (first (:hidden r))) (count (ffirst (:hidden r)))]))
      (is (= [3 6 2] [(count (:output r)) (count (first (:output r))) (count (ffirst (:output r)))]))
      (is (= (vec (.input tb)) (vec (flatten (:inputs r)))) "the inputs are the task's from the seed")
      (is (= (vec (.target tb)) (vec (flatten (:targets r)))))
      (is (every? #{1.0} (flatten (:mask r))))
      (is (and (double? (:loss r)) (pos? (:loss r)))))
    (testing "the same Java API as the command: the same numbers"
      (let [t (with-open [be (JavaBackend.)]
                (Networks/trajectories (.toPath (io/file net)) (Networks$Trials/generated 3 7 false) be))]
        (is (= (vec (.data (.hidden t))) (vec (flatten (:hidden r)))))
        (is (= (.loss t) (:loss r)))))
    (testing "the user's own inputs: the same states, no targets"
      (let [g (d/simulate net {:inputs (:inputs r) :backend :java})]
        (is (= (:hidden r) (:hidden g)))
        (is (= (:output r) (:output g)))
        (is (nil? (:targets g)))
        (is (nil? (:loss g)))))
    (testing ":out writes the file and returns what was written"
      (let [out (str (io/file dir "run.npz"))
            w (d/simulate net {:trials 2 :out out :backend :java})]
        (is (= ["hidden" "output" "inputs" "targets" "mask"] (:arrays w)))
        (is (= [2 6 5] (:shape w)))
        (is (= (set (:arrays w)) (set (keys (io.degen.io.Npy/readNpz (.toPath (io/file out)))))))))
    (testing "options are closed and checked"
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #"simulate: unknown option\(s\) :trails" (d/simulate net {:trails 3})))
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #":trials for trials the task generates" (d/simulate net {:inputs [[[0 0]]] :trials 2})))
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #":trials must be a positive integer, got 0" (d/simulate net {:trials 0})))
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #"trial 1 has 1 steps, expected 2" (d/simulate net {:inputs [[[0 0] [0 0]] [[0 0]]]})))
      (is (thrown-with-msg? IllegalArgumentException #"has shape \[1, 2, 3\], expected \(trials, time, 2\)"
                            (d/simulate net {:inputs [[[0 0 0] [0 0 0]]] :backend :java})))
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #"no such directory" (d/simulate (io/file dir "nope") {}))))))

(deftest the-dsl-calls-the-java-api-not-the-cli
  ;; plain data in and out through io.degen.pipeline.Experiment: no namespace goes through the command line
  (doseq [f (file-seq (io/file "src/main/clojure"))
          :when (.endsWith (.getName ^java.io.File f) ".clj")]
    (is (not (re-find #"io\.degen\.cli" (slurp f))) (str f " names io.degen.cli"))))

(def ^:private tiny-run-spec
  {:name "tiny" :task {:type :flipflop :channels 1 :time 10} :model {:hidden 4}
   :train {:batch 4 :steps-per-epoch 2 :max-epochs 2 :threshold 10.0} :seeds 1
   :measure {:probe-trials 4 :ood-trials 4 :ntk-trials 2 :levels [:behaviour]}})

(deftest an-unwritable-store-is-named-not-a-raw-file-exception
  (let [file (io/file (temp-dir) "a-file")
        under-a-file (str (io/file file "store"))]
    (spit file "not a directory")
    (let [e (try (d/run! tiny-run-spec {:out under-a-file :workers 1 :backend :java}) nil
                 (catch Exception e e))]
      (is (instance? clojure.lang.ExceptionInfo e) (str e))
      (is (= (str "run!: cannot create or access the store " under-a-file ": Not a directory") (ex-message e)))
      (is (= {:type :degen.core/io :store under-a-file :path under-a-file} (ex-data e)))
      (is (instance? java.nio.file.FileSystemException (ex-cause e)) "the Java exception is kept as the cause"))
    (when (.isDirectory (io/file "/proc"))
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^run!: cannot create or access the store /proc/forbidden: no such file or directory$"
                            (d/run! tiny-run-spec {:out "/proc/forbidden" :workers 1 :backend :java}))))))

(deftest read-spec-names-the-file-and-the-line
  (let [dir (temp-dir)
        md (io/file dir "README.md")]
    (spit md "# degen\n\nA toolkit.\n")
    (is (= (str md ": cannot read EDN: line 1: No dispatch macro for:   (at \"# degen\"); a spec file holds one EDN map")
           (try (d/read-spec md) nil (catch clojure.lang.ExceptionInfo e (ex-message e)))))
    (spit md "{:name \"x\"\n :task {:type :flipflop}}}\n")
    (is (re-find #"README\.md: cannot read EDN: after the first form: line 2: Unmatched delimiter: \}"
                 (try (d/read-spec md) "" (catch clojure.lang.ExceptionInfo e (ex-message e)))))
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^read-spec: no such file: .*nope\.edn$" (d/read-spec (io/file dir "nope.edn"))))
    (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^read-spec: not a file, a directory: " (d/read-spec dir)))))

(deftest unknown-options-and-missing-stores-are-errors
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^run!: unknown option\(s\) :wrokers \(known: :backend, :ensemble, :out, :profile, :report, :shard, :workers\)$"
                        (d/run! tiny-run-spec {:out "o" :wrokers 2})))
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^measure!: unknown option\(s\) :wrokers" (d/measure! "o" {:wrokers 2})))
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^runs: no such directory: no-such-dir$" (d/runs "no-such-dir")))
  (is (thrown-with-msg? clojure.lang.ExceptionInfo #"^degeneracy: no such directory: no-such-dir$" (d/degeneracy "no-such-dir"))))

(deftest a-plans-condition-configs-plan-again-to-the-same-runs
  ;; what d/plan returns (strings for keywords, defaults filled in) is a spec d/validate and d/plan accept
  (let [spec {:name "rt" :task {:type :flipflop :channels [1 2] :time 10} :model {:hidden 4} :seeds 2
              :control {:nuclear [0 1e-3]}}
        p (d/plan spec)]
    (is (= 4 (count (:conditions p))))
    (is (= "flipflop" (get-in p [:conditions 0 :config :task :type])) "the plan holds the type as a string")
    (doseq [c (:conditions p)]
      (let [again (assoc (:config c) :name "rt" :seeds 2)]
        (is (= again (d/validate again)))
        (let [q (d/plan again)]
          (is (= [(:id c)] (mapv :id (:conditions q))) "the same condition")
          (is (= (:runs c) (get-in q [:conditions 0 :runs])) "the same run ids"))))
    (testing "the plan's :spec plans again to the same plan"
      (let [q (d/plan (:spec p))]
        (is (= (:spec_hash p) (:spec_hash q)))
        (is (= (mapv :id (:runs p)) (mapv :id (:runs q))))))))

(deftest run-progress-goes-to-the-callers-err
  (let [err (java.io.StringWriter.)
        dir (temp-dir)
        r (binding [*err* err] (d/run! tiny-run-spec {:out (str dir) :workers 1 :backend :java :report false}))]
    (is (= 1 (:trained r)))
    (is (re-find #"experiment tiny: 1 condition\(s\), 1 run\(s\)" (str err)) (str err))
    (is (re-find #"done: 1 trained, 0 already stored" (str err)) (str err))))
