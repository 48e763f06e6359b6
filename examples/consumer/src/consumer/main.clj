;; A project of its own that depends on degen (io.degen/degen-dsl): plans a small sweep, 1-bit vs
;; 2-bit flip-flop with 3 seeds each, and prints how many conditions and runs it has. Nothing is
;; trained. docs/dsl-clojure.md shows this file (degen.deps-test checks that it is the same code).

(ns consumer.main
  (:require [degen.core :as d]))

(defn -main [& _]
  (let [{:keys [conditions runs]} (d/plan {:name "consumer"
                                            :task {:type :flipflop :channels [1 2]}
                                            :model {:hidden 8}
                                            :seeds 3})]
    (println "conditions:" (count conditions))      ; conditions: 2
    (println "runs:" (count runs))))                 ; runs: 6
