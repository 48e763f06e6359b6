(ns degen.data
  "Conversion between Clojure data and the plain Java data the core uses: keywords become strings,
  vectors/lists/sets become java.util.List, maps become java.util.Map with string keys; and back
  (Java maps/lists and Jackson JSON to keywordized Clojure maps and vectors)."
  (:import (java.util ArrayList LinkedHashMap List Map)
           (com.fasterxml.jackson.databind JsonNode)
           (io.degen.util Json)))

(defn- key->str [k]
  (cond (keyword? k) (if (namespace k) (str (namespace k) "/" (name k)) (name k))
        (symbol? k) (str k)
        :else (str k)))

(defn ->java
  "Clojure data -> plain Java data (string keys, keyword values as strings, java.util.List)."
  [x]
  (cond
    (map? x) (let [m (LinkedHashMap.)]
               (doseq [[k v] x] (.put m (key->str k) (->java v)))
               m)
    (or (vector? x) (seq? x) (set? x)) (ArrayList. ^java.util.Collection (mapv ->java x))
    (keyword? x) (key->str x)
    (symbol? x) (str x)
    (ratio? x) (double x)
    (instance? clojure.lang.BigInt x) (long x)
    :else x))

(defn ->clj
  "Java data (Map, List, arrays, JsonNode, objects with toMap()) -> Clojure data with keyword keys."
  [x]
  (cond
    (nil? x) nil
    (instance? JsonNode x) (->clj (.convertValue Json/MAPPER x Object))
    (map? x) (into {} (map (fn [[k v]] [(keyword (str k)) (->clj v)])) x)
    (instance? Map x) (into {} (map (fn [^java.util.Map$Entry e] [(keyword (str (.getKey e))) (->clj (.getValue e))])) (.entrySet ^Map x))
    (instance? List x) (mapv ->clj x)
    (instance? Iterable x) (mapv ->clj x)
    (.isArray (class x)) (if (instance? (Class/forName "[D") x) (vec x) (mapv ->clj x))
    (instance? Integer x) (long x)
    (or (string? x) (number? x) (boolean? x) (keyword? x)) x
    (instance? Enum x) (str x)
    ;; Records of the Java API (results, records of stored runs): the one JSON policy's plain data.
    (instance? java.lang.Record x) (->clj (.convertValue Json/MAPPER x Object))
    :else (let [m (some (fn [^java.lang.reflect.Method m]
                          (when (and (= "toMap" (.getName m)) (zero? (.getParameterCount m))) m))
                        (.getMethods (class x)))]
            (if m (->clj (.invoke ^java.lang.reflect.Method m x (object-array 0))) x))))

(defn parse-json
  "A JSON string -> keywordized Clojure data."
  [^String s]
  (->clj (.readTree Json/MAPPER s)))
