(ns degen.junit-bridge
  "Runs single clojure.test vars for the JUnit 5 bridge (io.degen.dsl.ClojureTestsTest)."
  (:require [clojure.test :as t]))

(defn test-vars
  "The deftest vars of namespace `ns-name` (a string), in source order, after requiring it."
  [ns-name]
  (let [sym (symbol ns-name)]
    (require sym)
    (->> (ns-interns sym) vals
         (filter (comp :test meta))
         (sort-by (comp :line meta))
         vec)))

(defn run-var
  "Runs one test var (with the namespace's fixtures); returns {\"pass\" \"fail\" \"error\" \"report\"}."
  [v]
  (let [sw (java.io.StringWriter.)
        counters (ref t/*initial-report-counters*)]
    (binding [t/*report-counters* counters
              t/*test-out* sw]
      (t/test-vars [v]))
    {"pass" (:pass @counters 0) "fail" (:fail @counters 0) "error" (:error @counters 0)
     "report" (str sw)}))
