(ns degen.spec
  "Experiment specs as clojure.spec, made from the one schema of the Java core
  (io.degen.config.Schema and each task's declared options). Validation is the Java validator's
  (io.degen.plan.ExperimentSpec): one validator, so an EDN spec, a JSON spec and a spec built in
  Java get the same message for the same mistake, naming the path and the value:

    [:task :channels 2] must be a positive integer, got -1
    [:task :colour] is not an option of task flipflop (known: channels, p, time), got \"red\"
    [:task :aux] is only an option of task delayed-discrimination, not flipflop, got true
    [:model :gamma] is only used by model type mup, but [:model :type] is standard, got 0.5

  Keywords are the spec's strings (:mup is \"mup\"), so values are shown as JSON shows them.
  `::experiment` is the whole spec; `(field-spec :train :lr)` and the like are the specs of single
  keys (registered as :degen.spec.train/lr, :degen.spec.measure.dsa/rank, ...)."
  (:require [clojure.spec.alpha :as s]
            [degen.data :as data])
  (:import (io.degen.config Field Schema)
           (io.degen.plan ExperimentSpec)
           (io.degen.util SpecPath$SpecException)))

(defn- path->clj [path] (mapv #(if (number? %) (long %) (keyword (str %))) path))

(defn problem
  "The first problem of a spec as [path value message], or nil when it is valid (every profile
  included, each merged over the base)."
  [spec]
  (if-not (map? spec)
    [[] spec (str "[] the spec must be a map, got " (pr-str spec))]
    (try (ExperimentSpec/fromMap (data/->java spec) nil)
         nil
         (catch SpecPath$SpecException e [(path->clj (.path e)) (data/->clj (.value e)) (.getMessage e)])
         (catch IllegalArgumentException e [[] nil (.getMessage e)]))))

(defn explain-one
  "The first problem of `spec` as one message naming the path and value, or nil when valid."
  [spec]
  (nth (problem spec) 2 nil))

(defn valid? [spec] (nil? (problem spec)))

(defn validate!
  "Returns `spec` when valid; otherwise throws ex-info with the message and {:path :value} data."
  [spec]
  (when-let [[path v m] (problem spec)]
    (throw (ex-info m {:type ::invalid :path path :value v})))
  spec)

;; The whole spec as one clojure.spec: (s/valid? ::experiment spec) agrees with `valid?`.
(s/def ::experiment (s/and map? valid?))

;; ---------------------------------------------------------------------------------------------
;; One spec per schema key, made from the schema's own checks.

(defn- field-key [^Field f]
  (keyword (str "degen.spec" (when (seq (.section f)) (str "." (.section f)))) (.key f)))

(defn- field-pred [^Field f]
  (fn [v] (nil? (.problem f (data/->java v)))))

(def fields
  "Every schema key: {keyword {:type :default :doc :sweepable}} (keys such as :degen.spec.train/lr)."
  (into (sorted-map)
        (for [^Field f (Schema/all)]
          [(field-key f) {:type (.type f) :default (data/->clj (.def f)) :doc (.doc f) :sweepable (.sweepable f)}])))

(doseq [^Field f (Schema/all)]
  (let [pred (field-pred f)]
    (s/def-impl (field-key f) (list 'degen.spec/schema (.name f))
      (if (.sweepable f)
        (s/or :value pred :sweep (s/coll-of pred :kind vector? :min-count 1 :distinct true))
        pred))))

(defn field-spec
  "The clojure.spec of one schema key, e.g. (field-spec :train :lr) or (field-spec :measure.dsa :rank)."
  [section k]
  (keyword (str "degen.spec." (name section)) (name k)))
