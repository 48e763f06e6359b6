(ns degen.spec-test
  (:require [clojure.spec.alpha :as s]
            [clojure.test :refer [deftest is testing]]
            [degen.core :as d]
            [degen.spec :as spec]))

(def example
  {:name "flipflop-complexity"
   :task {:type :flipflop :channels [1 2 3 4]}
   :model {:type :standard :hidden 128}
   :train {:lr 1e-3 :batch 64}
   :seeds 50
   :control {}
   :measure {:dsa {:n-delays 5 :rank 20} :levels [:behaviour :dynamics :weights]}
   :profiles {:quick {:seeds 3 :model {:hidden 32}}}})

(defn- message [spec]
  (try (d/validate spec) nil
       (catch clojure.lang.ExceptionInfo e (ex-message e))))

(deftest valid-spec-passes
  (is (spec/valid? example))
  (is (nil? (spec/explain-one example)))
  (is (s/valid? ::spec/experiment example))
  (is (= example (d/validate example)))
  (is (spec/valid? {:name "dd" :task {:type :delayed-discrimination :aux true :delay-max [10 20]}
                    :model {:type :mup :gamma 0.1 :hidden 64}
                    :control {:gamma [0.5 2.0] :aux [true false]}})))

(deftest metrics-backend
  (is (spec/valid? (assoc-in example [:measure :metrics-backend] :mkl)))
  (is (= "[:measure :metrics-backend] must be one of java, mkl, cuda, got \"auto\""
         (message (assoc-in example [:measure :metrics-backend] :auto))))
  ;; The DSL hands the keyword to the Java plan as its name.
  (is (= "mkl" (-> (assoc-in example [:measure :metrics-backend] :mkl) d/plan :measure :metrics_backend))))

(deftest unknown-key
  (is (= "[:task :colour] is not an option of task flipflop (known: channels, p, time), got \"red\""
         (message (assoc-in example [:task :colour] :red))))
  (is (= "[:train :momentum] is not a training option (known: batch, dtype, l1, lr, max-epochs, nuclear, patience, plateau-factor, plateau-patience, steps-per-epoch, stop-on, threshold), got 0.9"
         (message (assoc-in example [:train :momentum] 0.9))))
  (is (= "[:colour] is not a spec key (known: control, description, expect, measure, model, name, profiles, report, seeds, task, train), got 1"
         (message (assoc example :colour 1))))
  (is (= "[:measure :dsa :foo] is not a DSA key (known: delay-interval, n-delays, rank, score), got 1"
         (message (assoc-in example [:measure :dsa :foo] 1))))
  (is (not (s/valid? ::spec/experiment (assoc example :colour 1)))))

(deftest wrong-type
  (is (= "[:model :hidden] must be a positive integer, got \"big\""
         (message (assoc-in example [:model :hidden] "big"))))
  (is (= "[:train :lr] must be a number in (0, 10), got \"fast\"" (message (assoc-in example [:train :lr] :fast))))
  (is (= "[:name] must be a name of letters, digits, '.', '_' and '-' (at most 200), got \"two words\""
         (message (assoc example :name "two words"))))
  ;; user tasks registered by other tests may appear in the list too
  (is (re-matches #"\[:task :type\] must be one of .*delayed-discrimination, .*flipflop, .*lorenz96, .*path-integration, .*sine.*, got \"nope\""
                  (message (assoc-in example [:task :type] :nope)))))

(deftest negative-size
  (is (= "[:task :channels 2] must be a positive integer, got -1"
         (message (assoc-in example [:task :channels] [1 2 -1]))))
  (is (= "[:task :channels] must be a positive integer, got 0" (message (assoc-in example [:task :channels] 0))))
  (is (= "[:task :channels] must not be an empty sweep, got []" (message (assoc-in example [:task :channels] []))))
  (is (= "[:profiles :quick :model :hidden] must be a positive integer, got -3"
         (message (assoc-in example [:profiles :quick :model :hidden] -3)))))

(deftest aux-on-flipflop
  (is (= "[:task :aux] is only an option of task delayed-discrimination, not flipflop, got true"
         (message (assoc-in example [:task :aux] true))))
  (is (= "[:control :aux 0] is only an option of task delayed-discrimination, not flipflop, got true"
         (message (assoc-in example [:control :aux] [true false])))))

(deftest gamma-with-standard
  (is (= "[:model :gamma] is only used by model type mup, but [:model :type] is standard, got 0.5"
         (message (assoc-in example [:model :gamma] 0.5))))
  (is (= "[:control :gamma] is only used by model type mup, but [:model :type] is standard, got [0.5,1]"
         (message (assoc-in example [:control :gamma] [0.5 1]))))
  (is (nil? (message (assoc example :model {:type :mup :gamma 0.5})))))

(deftest required-keys
  (is (= "[:name] is required" (message (dissoc example :name))))
  (is (= "[:task :type] is required" (message (assoc example :task {:channels 2})))))

(deftest field-specs-come-from-the-schema
  (is (s/valid? (spec/field-spec :train :lr) 1e-3))
  (is (not (s/valid? (spec/field-spec :train :lr) 10)))
  (is (s/valid? (spec/field-spec :model :hidden) [32 64]) "a sweep of valid values")
  (is (not (s/valid? (spec/field-spec :model :hidden) [32 32])) "a sweep repeats no value")
  (is (s/valid? (spec/field-spec :measure.dsa :score) :euclidean))
  (is (= "number in (0, 10)" (get-in spec/fields [:degen.spec.train/lr :type]))))

(deftest java-and-edn-agree
  ;; One validator: the JSON reader and the EDN reader give the same message for the same mistake.
  (let [bad (assoc-in example [:task :channels] [1 2 -1])
        java (try (io.degen.plan.ExperimentSpec/fromMap (degen.data/->java bad)) nil
                  (catch IllegalArgumentException e (.getMessage e)))]
    (is (= java (message bad)))))

(deftest example-spec-file-is-valid
  ;; Surefire runs in the dsl module folder
  (let [s (d/read-spec "../examples/repl-flipflop.edn")]
    (is (= "flipflop-complexity" (:name s)))
    (is (= 32 (get-in (d/profile s :quick) [:model :hidden])))))
