;; A REPL walk-through of the degen Clojure API. Start a REPL with `./degen repl` (degen.core is
;; already aliased as `d`), then evaluate the forms one by one, or run the whole file with
;; (load-file "examples/repl.clj").
(require '[degen.core :as d])

;; 1. Load and validate a spec. Problems come back as one message naming path and value.
(def spec (d/read-spec "examples/repl-flipflop.edn"))

;; 2. Make a tiny variant that trains in seconds: the :quick profile, then our own overrides (deep
;;    merge; vectors replace): 1 and 2 channels, short trials, 16 units, a fast learning rate and a
;;    looser bar than the task's own 1e-3 (the epoch loss must fall below 2e-2), so every network
;;    converges and every level can be measured (pairwise levels compare converged networks only).
(def tiny (d/with-overrides (d/profile spec :quick)
            {:task {:channels [1 2] :time 20}
             :model {:hidden 16}
             :train {:lr 1e-2 :batch 16 :steps-per-epoch 16 :max-epochs 40 :threshold 2e-2}
             :measure {:levels [:behaviour :dynamics :weights :feature-learning]}
             :seeds 3}))

;; A bad override is caught before anything runs:
(try (d/validate (assoc-in tiny [:task :aux] true))
     (catch clojure.lang.ExceptionInfo e (ex-message e)))
;; => "[:task :aux] is only an option of task delayed-discrimination, not flipflop, got true"

;; 3. Plan: 2 conditions (channels 1 and 2) x 3 seeds = 6 runs.
(def p (d/plan tiny))
(count (:conditions p))
(count (:runs p))

;; 4. Train the study (runs already stored under :out are reused): about 10 s on 2 cores.
(d/run! tiny {:out "out/repl-tiny" :workers 2 :backend "auto"})

;; 5. Look at what was trained: every network converged, in a few dozen epochs.
(map (juxt :id :status :epochs) (d/runs "out/repl-tiny"))
;; => (["44da80b842ecd885" "converged" 14] ["5e9e5a3a18f46f5e" "converged" 21] ...)

;; 6. The degeneracy of each condition, as numbers: mean DSA distance (dynamics), mean d_PIF
;;    (weights), SD of the out-of-distribution loss (behaviour), each with its jackknife SE over
;;    networks. (d/degeneracy "out/repl-tiny") has everything else.
(def summary
  (for [[_ m] (d/degeneracy "out/repl-tiny")]
    {:channels (get-in m [:values :task.channels])
     :converged (get-in m [:analysis :converged])
     :dsa ((juxt :value :se) (get-in m [:metrics :dynamics_dsa]))
     :pif ((juxt :value :se) (get-in m [:metrics :weights_pif]))
     :sd-ood ((juxt :value :se) (get-in m [:metrics :behaviour_sd_ood]))}))
(sort-by :channels summary)
;; => ({:channels 1, :converged 3, :dsa [0.238 0.011], :pif [3.04 0.014], :sd-ood [0.025 0.017]}
;;     {:channels 2, :converged 3, :dsa [0.196 0.054], :pif [2.94 0.048], :sd-ood [0.0070 0.0033]})
;; (3 networks per condition: a walk-through of the API, not evidence of a trend; see docs/statistics.md)

;; 7. Write the report (a figure per level against channels) and get its summary; its :notes are
;;    empty, so no figure is missing.
(d/report! "out/repl-tiny")
