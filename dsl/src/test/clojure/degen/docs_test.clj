(ns degen.docs-test
  "Every example in the docs runs: EDN specs validate, and the Clojure blocks of docs/dsl-clojure.md
  are evaluated form by form (training shrunk to a few tiny networks, outputs in a temporary folder)."
  (:require [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [degen.core :as d]))

(defn- blocks
  "The fenced code blocks of a markdown file with the given language tag."
  [file lang]
  (->> (re-seq (re-pattern (str "(?s)```" lang "\\n(.*?)```")) (slurp file))
       (map second)))

(def docs (->> (file-seq (io/file "../docs")) (filter #(str/ends-with? (.getName ^java.io.File %) ".md"))))

(deftest edn-spec-examples-validate
  (let [specs (for [f docs b (blocks f "edn")] [f b])]
    (is (seq specs) "the docs hold EDN examples")
    (doseq [[f b] specs]
      (testing (str f)
        (is (map? (d/validate (d/parse-spec b (str f)))))))))

(defn- tiny
  "A spec shrunk so an example trains in seconds (the example's own settings are kept otherwise)."
  [spec]
  (d/with-overrides spec {:seeds 2 :model {:hidden 6} :task {:time 10}
                          :train {:batch 4 :steps-per-epoch 2 :max-epochs 2}
                          :measure {:probe-trials 4 :ood-trials 4 :ntk-trials 2 :dsa {:n-delays 2 :rank 3}}}))

(deftest clojure-examples-run
  (let [tmp (.toFile (java.nio.file.Files/createTempDirectory "degen-docs" (make-array java.nio.file.attribute.FileAttribute 0)))
        code (blocks (io/file "../docs/dsl-clojure.md") "clojure")
        real-run! d/run!]
    (is (seq code))
    (binding [*ns* (create-ns (gensym "degen.docs-example"))]
      (refer-clojure)
      (alias 'd 'degen.core)
      (with-redefs [d/run! (fn [spec opts] (real-run! (tiny spec) (assoc opts :out (str (io/file tmp (str (:out opts)))) :backend :java)))
                    d/degeneracy (let [f d/degeneracy] (fn [dir] (f (str (io/file tmp (str dir))))))
                    d/report! (let [f d/report!] (fn [dir] (f (str (io/file tmp (str dir))))))]
        (doseq [b code
                :let [text (str/replace b "\"examples/" "\"../examples/")
                      forms (read-string (str "[" text "]"))]
                form forms]
          (let [r (try (eval form) (catch Exception e e))]
            (is (not (instance? Exception r)) (str (pr-str form) " threw " r))))))))
