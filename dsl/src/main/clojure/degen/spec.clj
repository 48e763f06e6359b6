(ns degen.spec
  "clojure.spec definitions of an experiment spec (EDN), and `explain-one`, which turns the first
  problem into one message naming the path and value:

    [:task :channels 2] must be a positive integer, got -1
    [:task :colour] is not a known key
    [:task :aux] is only allowed for :delayed-discrimination, got :flipflop
    [:model :gamma] needs [:model :type] :mup

  Maps are closed: unknown keys anywhere are errors. Any value under :task, :model, :train and
  :control may be a sweep axis: a non-empty vector of values. Task types registered at run time
  (io.degen.task.TaskRegistry, e.g. through degen.core/register-task!) are accepted; their
  options are free-form numbers, booleans or keywords."
  (:require [clojure.spec.alpha :as s]
            [clojure.string :as str]))

;; ---------------------------------------------------------------------------------------------
;; Leaf predicates, each with the message used when it fails.

(defn- int-like? [x] (and (integer? x) (not (instance? clojure.lang.BigInt x)) (<= Integer/MIN_VALUE x Integer/MAX_VALUE)))
(defn- num? [x] (and (number? x) (not (ratio? x)) (Double/isFinite (double x))))

(s/def ::pos-int (s/and int-like? pos?))
(s/def ::nat-int (s/and int-like? #(>= % 0)))
(s/def ::time (s/and int-like? #(>= % 2)))
(s/def ::pos-num (s/and num? pos?))
(s/def ::nat-num (s/and num? #(>= % 0)))
(s/def ::unit-num (s/and num? pos? #(<= % 1)))
(s/def ::bool boolean?)
(s/def ::dims #{2 3})
(s/def ::lorenz-dim (s/and int-like? #(>= % 4)))
(s/def ::model-type #{:standard :mup})
(s/def ::dtype #{:float32 :float64})
(s/def ::score #{:angular :euclidean})
(s/def ::metrics-backend #{:java :mkl :cuda})
(s/def ::level #{:behaviour :dynamics :weights :feature-learning})
(s/def ::free-value (s/or :number num? :boolean boolean? :keyword keyword?))
(s/def ::name (s/and string? (complement str/blank?)))

(def ^:private leaf-messages
  {::pos-int "must be a positive integer"
   ::nat-int "must be an integer >= 0"
   ::time "must be an integer >= 2"
   ::pos-num "must be a positive number"
   ::nat-num "must be a number >= 0"
   ::unit-num "must be a number in (0, 1]"
   ::bool "must be true or false"
   ::dims "must be 2 or 3"
   ::lorenz-dim "must be an integer >= 4"
   ::model-type "must be one of :standard, :mup"
   ::dtype "must be one of :float32, :float64"
   ::score "must be one of :angular, :euclidean"
   ::metrics-backend "must be one of :java, :mkl, :cuda"
   ::level "must be one of :behaviour, :dynamics, :weights, :feature-learning"
   ::free-value "must be a number, boolean or keyword"
   ::name "must be a non-empty string"})

;; ---------------------------------------------------------------------------------------------
;; Sweep axes: a value or a non-empty vector of values.

(defn- axis-of
  "Spec for a sweepable value of leaf spec `leaf`."
  [leaf]
  (s/or :value leaf :sweep (s/coll-of leaf :kind vector? :min-count 1)))

;; ---------------------------------------------------------------------------------------------
;; Schema: which keys each section takes, and the leaf spec of each.

(def task-options
  "Options of each built-in task type: key -> leaf spec."
  {:flipflop {:channels ::pos-int :time ::time :p ::unit-num}
   :sine {:channels ::pos-int :time ::time :frequencies ::pos-int :dt ::pos-num}
   :delayed-discrimination {:channels ::pos-int :delay-min ::pos-int :delay-max ::pos-int
                            :onset ::nat-int :response ::pos-int :aux ::bool
                            :mask-response-only ::bool}
   :path-integration {:dims ::dims :time ::time :turn ::nat-num :speed-max ::pos-num
                      :start-range ::nat-num}
   :lorenz96 {:dim ::lorenz-dim :time ::time :forcing ::nat-num :dt ::pos-num :stride ::pos-int
              :burn-in ::nat-int}})

(def model-keys {:type ::model-type :hidden ::pos-int :gamma ::pos-num :tau ::unit-num})

(def train-keys {:lr ::pos-num :batch ::pos-int :steps-per-epoch ::pos-int :max-epochs ::pos-int
                 :threshold ::pos-num :patience ::nat-int :plateau-factor ::unit-num
                 :plateau-patience ::nat-int :nuclear ::nat-num :l1 ::nat-num :dtype ::dtype})

(def control-keys
  "Control strategies: each overrides the model, train or task field named in `control-target`."
  {:gamma ::pos-num :width ::pos-int :nuclear ::nat-num :l1 ::nat-num :channels ::pos-int
   :delay-max ::pos-int :aux ::bool :lr ::pos-num :batch ::pos-int :tau ::unit-num :hidden ::pos-int
   :model-type ::model-type})

(def control-target {:gamma [:model :gamma] :width [:model :hidden] :nuclear [:train :nuclear]
                     :l1 [:train :l1] :channels [:task :channels] :delay-max [:task :delay-max]
                     :aux [:task :aux]})

(def dsa-keys {:n-delays ::pos-int :rank ::pos-int :delay-interval ::pos-int :score ::score})

(def top-keys #{:name :description :task :model :train :seeds :control :measure :profiles :report})

(def measure-keys {:probe-trials ::pos-int :ood-trials ::pos-int :ntk-trials ::pos-int
                   :pif-restarts ::pos-int :seed ::nat-int :metrics-backend ::metrics-backend})

(defn- control-table
  "Knobs allowed in :control for a task type: the control strategies plus any option of the task."
  [type]
  (merge (get task-options type {}) control-keys))

(defn- user-task?
  "Whether `type` names a task registered at run time in io.degen.task.TaskRegistry (not built in)."
  [type]
  (and (keyword? type) (not (contains? task-options type))
       (try (io.degen.task.TaskRegistry/has (name type)) (catch Throwable _ false))))

(defn known-task? [type] (or (contains? task-options type) (user-task? type)))

;; ---------------------------------------------------------------------------------------------
;; Structural checks (closed maps and cross-field rules), shared by the specs and explain-one.
;; Each returns nil or [path value message].

(defn- fmt [v] (pr-str v))

(defn- closed-problem [path m allowed]
  (when (map? m)
    (some (fn [k] (when-not (contains? allowed k) [(conj path k) (get m k) "is not a known key"]))
          (keys m))))

(defn- tasks-with [k]
  (sort (keep (fn [[t ks]] (when (contains? ks k) t)) task-options)))

(defn- task-key-problem
  "Problem with option key `k` of task `type` (under `path`), or nil."
  [path type k v]
  (cond
    (= k :type) nil
    (user-task? type) nil
    (contains? (get task-options type) k) nil
    (seq (tasks-with k))
    (let [ts (tasks-with k)]
      [(conj path k) v (str "is only allowed for " (str/join ", " (map fmt ts)) ", got " (fmt type))])
    :else [(conj path k) v "is not a known key"]))

(defn- mup-possible? [model-type]
  (if (vector? model-type) (some #{:mup} model-type) (= :mup model-type)))

(defn structure-problem
  "First structural problem of a spec (unknown keys, keys not allowed for the task type, missing
  required keys, cross-field rules) as [path value message], or nil. `partial?` skips required keys
  (profiles)."
  ([spec] (structure-problem spec false))
  ([spec partial?]
   (let [task (:task spec) type (:type task)
         model-type (get-in spec [:model :type] :standard)]
     (or
      (when-not (map? spec) [[] spec "must be a map"])
      (closed-problem [] spec top-keys)
      (when-not partial?
        (or (when-not (contains? spec :name) [[:name] nil "is required"])
            (when-not (contains? spec :task) [[:task] nil "is required"])))
      (some (fn [k] (when (and (contains? spec k) (not (map? (get spec k))))
                      [[k] (get spec k) "must be a map"]))
            [:task :model :train :control :measure :profiles])
      (when (and (map? task) (or (not partial?) (contains? task :type) (seq task)))
        (cond
          (and (not partial?) (nil? type)) [[:task :type] nil "is required"]
          (and (some? type) (not (known-task? type)))
          [[:task :type] type (str "must be one of "
                                   (str/join ", " (map fmt (sort (concat (keys task-options)
                                                                         (->> (try (io.degen.task.TaskRegistry/types) (catch Throwable _ []))
                                                                              (map keyword)
                                                                              (filter user-task?)))))))]
          (some? type) (some (fn [[k v]] (task-key-problem [:task] type k v)) task)))
      (closed-problem [:model] (:model spec) (set (keys model-keys)))
      (closed-problem [:train] (:train spec) (set (keys train-keys)))
      (when-not (user-task? type)
        (closed-problem [:control] (:control spec) (set (keys (control-table type)))))
      (closed-problem [:measure] (:measure spec) (into #{:dsa :levels} (keys measure-keys)))
      (when (and (contains? spec :description) (not (string? (:description spec))))
        [[:description] (:description spec) "must be a string"])
      (when (contains? spec :report)
        (let [r (:report spec)]
          (if (map? r)
            (or (closed-problem [:report] r #{:title :formats})
                (when (and (contains? r :title) (not (string? (:title r))))
                  [[:report :title] (:title r) "must be a string"])
                (when (and (contains? r :formats)
                           (not (and (vector? (:formats r)) (seq (:formats r))
                                     (every? #{:png :svg "png" "svg"} (:formats r)))))
                  [[:report :formats] (:formats r) "must be a non-empty vector of :png and :svg"]))
            [[:report] r "must be a map"])))
      (when (contains? (:measure spec) :dsa)
        (let [d (get-in spec [:measure :dsa])]
          (if (map? d) (closed-problem [:measure :dsa] d (set (keys dsa-keys)))
              [[:measure :dsa] d "must be a map"])))
      (when (and (map? (:model spec)) (not (mup-possible? model-type)))
        (some (fn [k] (when (contains? (:model spec) k)
                        [[:model k] (get-in spec [:model k]) "needs [:model :type] :mup"]))
              [:gamma :tau]))
      (when (and (map? (:control spec)) (contains? (:control spec) :gamma) (not (mup-possible? model-type)))
        [[:control :gamma] (get-in spec [:control :gamma]) "needs [:model :type] :mup"])
      (when (and (map? (:control spec)) (some? type))
        (some (fn [k] (when (contains? (:control spec) k)
                        (task-key-problem [:control] type k (get-in spec [:control k]))))
              [:channels :delay-max :aux]))
      (let [lo (get-in spec [:task :delay-min]) hi (get-in spec [:task :delay-max])]
        (when (and (int-like? lo) (int-like? hi) (> lo hi))
          [[:task :delay-max] hi (str "must be >= [:task :delay-min] " lo)]))))))

(defn- structurally-valid? [spec] (nil? (structure-problem spec)))

;; ---------------------------------------------------------------------------------------------
;; Value checks: every leaf of every section against its leaf spec (each element of a sweep).

(s/def ::seeds (s/or :count ::pos-int :list (s/coll-of ::nat-int :kind vector? :min-count 1)))
(s/def ::levels (s/coll-of ::level :kind vector? :min-count 1))
(s/def ::probe-trials ::pos-int)

(defn- leaf-problems
  "Value problems of one section as [path value leaf-spec], in key order."
  [path m table sweep?]
  (when (map? m)
    (for [[k v] m
          :let [leaf (get table k)]
          :when leaf
          p (if (and sweep? (vector? v))
              (if (empty? v)
                [[(conj path k) v :empty-sweep]]
                (keep-indexed (fn [i x] (when-not (s/valid? leaf x) [(conj path k i) x leaf])) v))
              (when-not (s/valid? leaf v) [[(conj path k) v leaf]]))]
      p)))

(defn value-problem
  "First problem with a value (type or range) as [path value message], or nil."
  [spec]
  (let [type (get-in spec [:task :type])
        task-table (if (user-task? type)
                     (into {} (map (fn [k] [k ::free-value])) (keys (dissoc (:task spec) :type)))
                     (get task-options type {}))
        msg (fn [[path v leaf]]
              [path v (if (= leaf :empty-sweep)
                        "must not be an empty sweep"
                        (get leaf-messages leaf (str "must satisfy " leaf)))])
        dsa (get-in spec [:measure :dsa])
        probs (concat
               (when (contains? spec :name) (leaf-problems [] (select-keys spec [:name]) {:name ::name} false))
               (leaf-problems [:task] (:task spec) task-table true)
               (leaf-problems [:model] (:model spec) model-keys true)
               (leaf-problems [:train] (:train spec) train-keys true)
               (when (contains? spec :seeds)
                 (when-not (s/valid? ::seeds (:seeds spec))
                   [[[:seeds] (:seeds spec) :seeds]]))
               (leaf-problems [:control] (:control spec)
                              (if (user-task? type)
                                (merge (into {} (map (fn [k] [k ::free-value])) (keys (:control spec))) control-keys)
                                (control-table type)) true)
               (when (map? dsa) (leaf-problems [:measure :dsa] dsa dsa-keys false))
               (when (contains? (:measure spec) :levels)
                 (let [lv (get-in spec [:measure :levels])]
                   (if (and (vector? lv) (seq lv))
                     (keep-indexed (fn [i x] (when-not (s/valid? ::level x) [[:measure :levels i] x ::level])) lv)
                     [[[:measure :levels] lv :levels]])))
               (when (map? (:measure spec))
                 (leaf-problems [:measure] (select-keys (:measure spec) (keys measure-keys)) measure-keys false)))]
    (when-let [p (first probs)]
      (case (nth p 2)
        :seeds [(first p) (second p) "must be a positive integer (a count) or a non-empty vector of integers >= 0"]
        :levels [(first p) (second p) "must be a non-empty vector of levels"]
        (msg p)))))

(declare problem)

(defn- profile-problem [spec]
  (when (map? (:profiles spec))
    (some (fn [[k p]]
            (cond
              (not (keyword? k)) [[:profiles k] p "profile names must be keywords"]
              (not (map? p)) [[:profiles k] p "must be a map"]
              (contains? p :profiles) [[:profiles k :profiles] (:profiles p) "is not allowed inside a profile"]
              ;; A profile is judged merged over its base: it may rely on the base (e.g. a gamma
              ;; sweep in a profile of a :mup spec), and its keys are checked by the merged spec.
              :else (when-let [[path v m] (problem (merge-with (fn [a b] (if (and (map? a) (map? b)) (merge a b) b))
                                                               (dissoc spec :profiles) p))]
                      [(into [:profiles k] path) v m])))
          (:profiles spec))))

(defn problem
  "First problem of a spec as [path value message], or nil when the spec is valid."
  [spec]
  (or (structure-problem spec)
      (value-problem spec)
      (profile-problem spec)))

(defn explain-one
  "The first problem of `spec` as one message naming the path and value, or nil when valid."
  [spec]
  (when-let [[path v m] (problem spec)]
    (if (or (str/starts-with? m "is ") (str/starts-with? m "needs ") (str/starts-with? m "profile"))
      (str path " " m)
      (str path " " m ", got " (fmt v)))))

(defn valid? [spec] (nil? (problem spec)))

(defn validate!
  "Returns `spec` when valid; otherwise throws ex-info with the `explain-one` message and
  {:path :value} data."
  [spec]
  (when-let [[path v m] (problem spec)]
    (throw (ex-info (explain-one spec) {:type ::invalid :path path :value v})))
  spec)

;; The whole spec as one clojure.spec: (s/valid? ::experiment spec) agrees with `valid?`.
(s/def ::experiment (s/and map? valid?))
