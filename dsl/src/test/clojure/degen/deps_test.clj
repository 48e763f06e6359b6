(ns degen.deps-test
  "The deps.edn files a Clojure user depends on degen with (the Clojure CLI is not on the build
  machine, so they are checked here as data): each reads as EDN, names artifacts and versions the
  Maven build really publishes, puts the Vector API option on every JVM it starts, and its paths
  exist. The consumer example's program is run in process; examples/consumer is built and run as a
  separate Maven project by io.degen.examples.ConsumerExampleTest (tag e2e)."
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [clojure.xml :as xml]))

(def root (.getCanonicalFile (io/file "..")))

(defn- file ^java.io.File [& parts] (apply io/file root parts))

(defn- read-deps [& parts] (edn/read-string (slurp (apply file parts))))

(defn- children [node tag] (filter #(= tag (:tag %)) (:content node)))

(defn- text [node tag] (some-> (first (children node tag)) :content first str/trim))

(defn- pom [& parts] (xml/parse (apply file parts)))

(def parent-pom (pom "pom.xml"))

(def version (text parent-pom :version))

(defn- property [name]
  (text (first (children parent-pom :properties)) name))

(defn- compile-deps
  "Non-test dependencies of a module pom as {lib-symbol version}, versions from the parent's
  dependencyManagement (as Maven resolves them)."
  [module]
  (let [managed (into {}
                      (for [d (-> parent-pom (children :dependencyManagement) first (children :dependencies) first (children :dependency))
                            :when (nil? (text d :classifier))
                            :when (nil? (text d :type))]
                        [(symbol (text d :groupId) (text d :artifactId))
                         (let [v (text d :version)]
                           (cond (= v "${project.version}") version
                                 (str/starts-with? v "${") (property (keyword (subs v 2 (dec (count v)))))
                                 :else v))]))]
    (into {}
          (for [d (-> (pom module "pom.xml") (children :dependencies) first (children :dependency))
                :when (not= "test" (text d :scope))
                :let [lib (symbol (text d :groupId) (text d :artifactId))]]
            [lib (or (text d :version) (managed lib))]))))

(def vector-opt ["--add-modules" "jdk.incubator.vector"])

(defn- has-vector-opt? [jvm-opts]
  (some #(= vector-opt %) (partition 2 1 jvm-opts)))

(defn- check-aliases
  "Every alias that starts a program (:main-opts) passes the Vector API option, and so does :vector."
  [deps where]
  (is (has-vector-opt? (get-in deps [:aliases :vector :jvm-opts])) (str where ": alias :vector"))
  (doseq [[k a] (:aliases deps) :when (:main-opts a)]
    (is (has-vector-opt? (:jvm-opts a)) (str where ": alias " k " starts a JVM without " (str/join " " vector-opt))))
  ;; The CLI keeps main and JVM options in cache files, and options with spaces have been seen split
  ;; on the way (nrepl/nrepl#203): every option here is one word.
  (doseq [[k a] (:aliases deps) o (concat (:main-opts a) (:jvm-opts a))]
    (is (and (string? o) (not (re-find #"\s" o))) (str where ": alias " k ": option " (pr-str o)))))

(deftest project-version-is-read
  (is (re-matches #"\d+\.\d+\.\d+(-SNAPSHOT)?" version))
  (is (re-matches #"\d+\.\d+\.\d+" (property :clojure.version))))

(deftest dsl-deps-edn-mirrors-the-dsl-pom
  (let [deps (read-deps "dsl" "deps.edn")]
    (testing "its :deps are dsl/pom.xml's compile dependencies, at the versions Maven uses"
      (is (= {'io.degen/degen-core version 'org.clojure/clojure (property :clojure.version)}
             (compile-deps "dsl")))
      (is (= (compile-deps "dsl") (update-vals (:deps deps) :mvn/version))))
    (testing "its paths are the Clojure sources and Maven's output folder (the Java classes, services)"
      (is (= ["src/main/clojure" "target/classes"] (:paths deps)))
      (doseq [p (concat (:paths deps) (get-in deps [:aliases :test :extra-paths]))]
        (is (.isDirectory (file "dsl" p)) p))
      (is (.isFile (file "dsl" "src/main/clojure/degen/core.clj")))
      (is (.isFile (file "dsl" "target/classes/io/degen/dsl/EdnSpecReader.class"))))
    (check-aliases deps "dsl/deps.edn")))

(deftest dsl-test-alias-finds-every-test-namespace
  (let [deps (read-deps "dsl" "deps.edn")]
    (is (= ["-m" "degen.test-runner"] (get-in deps [:aliases :test :main-opts])))
    (require 'degen.test-runner)
    (let [nss ((resolve 'degen.test-runner/test-namespaces))]
      (is (every? #(.isFile (file "dsl" "src/test/clojure" (str (str/replace (namespace-munge %) "." "/") ".clj"))) nss) (pr-str nss))
      (is (some #{'degen.deps-test} nss))
      (is (= (->> (.list (file "dsl" "src/test/clojure/degen")) (filter #(str/ends-with? % "_test.clj")) count)
             (count nss))))))

(deftest root-deps-edn-uses-the-live-dsl
  (let [deps (read-deps "deps.edn")]
    (is (= {'io.degen/degen-dsl {:local/root "dsl"}} (:deps deps)))
    (is (.isFile (file "dsl" "deps.edn")))
    (is (= [] (:paths deps)) "no source folder of its own")
    (is (= ["-m" "degen.repl"] (get-in deps [:aliases :repl :main-opts])))
    (check-aliases deps "deps.edn")))

(deftest consumer-deps-edn-names-the-published-artifact
  (let [deps (read-deps "examples" "consumer" "deps.edn")]
    (is (= {'io.degen/degen-dsl {:mvn/version version}} (:deps deps)))
    (is (= ["src"] (:paths deps)))
    (is (= ["-m" "consumer.main"] (get-in deps [:aliases :run :main-opts])))
    (is (.isFile (file "examples" "consumer" "src" "consumer" "main.clj")))
    (is (nil? (:mvn/repos deps)) "Maven Central and the local repository, the defaults")
    (check-aliases deps "examples/consumer/deps.edn")))

(deftest consumer-pom-is-a-project-of-its-own
  (let [p (pom "examples" "consumer" "pom.xml")
        props (first (children p :properties))
        [dep & more] (-> p (children :dependencies) first (children :dependency))]
    (is (empty? (children p :parent)) "no parent: it must not inherit anything from the degen build")
    (is (nil? more) "degen-dsl is its only dependency")
    (is (= ["io.degen" "degen-dsl" "${degen.version}"] [(text dep :groupId) (text dep :artifactId) (text dep :version)]))
    (is (= version (text props :degen.version)))
    (is (nil? (text dep :scope)))
    (testing "the plugins are pinned to the versions the degen build uses, so it builds offline after it"
      (let [managed (into {} (for [pl (-> parent-pom (children :build) first (children :pluginManagement) first (children :plugins) first (children :plugin))]
                               [(text pl :artifactId) (text pl :version)]))
            pinned (for [pl (-> p (children :build) first (children :plugins) first (children :plugin))]
                     [(text pl :artifactId) (text pl :version)])]
        (is (= #{"maven-compiler-plugin" "maven-surefire-plugin" "maven-jar-plugin" "maven-resources-plugin"
                 "maven-dependency-plugin" "maven-install-plugin"}
               (set (map first pinned))))
        (doseq [[a v] pinned] (is (= (managed a) v) a))))))

(deftest consumer-program-plans-and-prints-its-run-count
  (load-file (str (file "examples" "consumer" "src" "consumer" "main.clj")))
  (let [out (with-out-str ((resolve 'consumer.main/-main)))]
    (is (= "conditions: 2\nruns: 6\n" (str/replace out "\r\n" "\n")))))

(defn- section
  "The text of the markdown section titled `title`, up to the next heading of its level."
  [md title]
  (second (re-find (re-pattern (str "(?s)\n## " (java.util.regex.Pattern/quote title) "\n(.*?)(?:\n## |\\z)")) md)))

(deftest docs-say-how-to-depend-on-degen
  (let [md (slurp (file "docs" "dsl-clojure.md"))
        s (section md "Using degen from your own project")
        clj-maps (->> (re-seq #"(?s)```clj\n(.*?)```" s) (map second)
                      (keep #(try (edn/read-string %) (catch Exception _ nil))) (filter map?))
        xml-blocks (->> (re-seq #"(?s)```xml\n(.*?)```" s) (map second))]
    (is s "docs/dsl-clojure.md has the section")
    (is (str/includes? s "--add-modules jdk.incubator.vector"))
    (is (str/includes? s (str "io.degen:degen-dsl:" version)))
    (is (str/includes? s (str "io.degen:degen-core:" version)))
    (testing "the deps.edn shown is the consumer example's"
      (is (some #(= (read-deps "examples" "consumer" "deps.edn") %) clj-maps)))
    (testing "the program shown is the consumer example's"
      (let [forms #(binding [*read-eval* false] (read-string (str "[" % "]")))
            program (forms (slurp (file "examples" "consumer" "src" "consumer" "main.clj")))]
        (is (some #(= program (forms %)) (->> (re-seq #"(?s)```clj\n(.*?)```" s) (map second)
                                              (filter #(str/starts-with? % "(ns consumer.main")))))))
    (testing "the pom.xml fragment names degen-dsl at the project version"
      (is (some #(let [d (xml/parse (java.io.ByteArrayInputStream. (.getBytes ^String %)))]
                   (and (= :dependency (:tag d))
                        (= ["io.degen" "degen-dsl" version] [(text d :groupId) (text d :artifactId) (text d :version)])))
                xml-blocks)))))
