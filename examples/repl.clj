;; A REPL walk-through of the degen Clojure API. Start a REPL with `./degen repl` (degen.core is
;; already aliased as `d`), then evaluate the forms one by one, or run the whole file with
;; (load-file "examples/repl.clj").
(require '[degen.core :as d])

;; 1. Load and validate a spec. Problems come back as one message naming path and value.
(def spec (d/read-spec "examples/repl-flipflop.edn"))

;; 2. Make a tiny variant: the :quick profile, then our own overrides (deep merge; vectors replace).
(def tiny (d/with-overrides (d/profile spec :quick)
            {:task {:channels [1 2] :time 20}
             :model {:hidden 8}
             :train {:batch 8 :steps-per-epoch 4 :max-epochs 3}
             :seeds 2}))

;; A bad override is caught before anything runs:
(try (d/validate (assoc-in tiny [:task :aux] true))
     (catch clojure.lang.ExceptionInfo e (ex-message e)))
;; => "[:task :aux] is only allowed for :delayed-discrimination, got :flipflop"

;; 3. Plan: 2 conditions (channels 1 and 2) x 2 seeds = 4 runs.
(def p (d/plan tiny))
(count (:conditions p))
(count (:runs p))

;; 4. Train the study (runs already stored under :out are reused).
(d/run! tiny {:out "out/repl-tiny" :workers 2 :backend "auto"})

;; 5. Look at what was trained and measured.
(map (juxt :id :status) (d/runs "out/repl-tiny"))
(d/degeneracy "out/repl-tiny")

;; 6. Write the report and get its summary.
(d/report! "out/repl-tiny")
