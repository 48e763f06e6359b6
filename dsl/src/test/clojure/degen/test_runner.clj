(ns degen.test-runner
  "`clojure -M:test` in dsl/ (dsl/deps.edn): runs every degen/*_test.clj namespace under
  src/test/clojure, as the JUnit bridge (io.degen.dsl.ClojureTestsTest) finds them, and exits 0 only
  if all pass."
  (:require [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :as t]))

(defn test-namespaces
  "The namespace symbols of src/test/clojure/degen/*_test.clj, sorted."
  []
  (->> (.list (io/file "src/test/clojure/degen"))
       (filter #(str/ends-with? % "_test.clj"))
       sort
       (map #(symbol (str "degen." (str/replace (subs % 0 (- (count %) 4)) "_" "-"))))))

(defn -main [& _]
  (let [nss (test-namespaces)]
    (apply require nss)
    (let [r (apply t/run-tests nss)]
      (shutdown-agents)
      (System/exit (if (t/successful? r) 0 1)))))
