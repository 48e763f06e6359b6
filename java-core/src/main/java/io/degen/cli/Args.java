package io.degen.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: positionals and {@code --name value} / {@code --flag} options.
 * Every getter validates and names the option and value on failure; {@link #finish()} rejects
 * options nobody asked for, so a typo never becomes a silent default.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    private final java.io.PrintStream err;

    /** Arguments of a command whose progress goes to System.err. */
    public Args(List<String> argv, Set<String> flags) { this(argv, flags, System.err); }

    /** Arguments of a command whose progress and messages go to {@code err} (the caller's stderr). */
    public Args(List<String> argv, Set<String> flags, java.io.PrintStream err) {
        this.err = err;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (isOption(a)) {
                String name = a.substring(2), value;
                int eq = name.indexOf('=');
                if (eq >= 0) { value = name.substring(eq + 1); name = name.substring(0, eq); }
                else if (flags.contains(name)) value = "true";
                else if (i + 1 >= argv.size()) throw new UsageException("option --" + name + " needs a value");
                else if (isOption(argv.get(i + 1))) {
                    // "--out --no-report" would otherwise write into a folder named --no-report.
                    throw new UsageException("option --" + name + " needs a value, got the option " + argv.get(i + 1) + " instead"
                            + " (a value that starts with -- is written --" + name + "=VALUE)");
                }
                else value = argv.get(++i);
                if (options.containsKey(name)) throw new UsageException("option --" + name + " is given twice");
                options.put(name, value);
            } else if (a.startsWith("-") && a.length() > 1 && !a.matches("-[0-9.].*")) {
                throw new UsageException("unknown option " + a + " (options are written --name)");
            } else {
                positional.add(a);
            }
        }
    }

    private static boolean isOption(String a) { return a.startsWith("--") && a.length() > 2; }

    public List<String> positional() { return positional; }

    /** Where the command writes progress (the CLI's stderr). */
    public java.io.PrintStream err() { return err; }

    private int positionalsRead;

    /** Every positional argument, all of them counted as read. */
    public List<String> positionals() {
        positionalsRead = positional.size();
        return positional;
    }

    public String positional(int i, String what) {
        positionalsRead = Math.max(positionalsRead, i + 1);
        if (i >= positional.size()) throw new UsageException("missing argument " + what);
        return positional.get(i);
    }

    public boolean has(String name) { used.add(name); return options.containsKey(name); }

    public boolean flag(String name) {
        used.add(name);
        String v = options.get(name);
        if (v == null) return false;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new UsageException("option --" + name + " must be true or false, got '" + v + "'");
    }

    public String string(String name, String def) {
        used.add(name);
        return options.getOrDefault(name, def);
    }

    public String required(String name) {
        used.add(name);
        String v = options.get(name);
        if (v == null) throw new UsageException("missing required option --" + name);
        return v;
    }

    public Path path(String name) {
        String v = required(name);
        if (v.isBlank()) throw new UsageException("option --" + name + " must name a path, got an empty string");
        return Path.of(v);
    }

    public int integer(String name, int def, int min, int max) {
        used.add(name);
        String v = options.get(name);
        if (v == null) return def;
        try {
            int x = Integer.parseInt(v.trim());
            if (x < min || x > max) throw new UsageException("option --" + name + " must be in [" + min + ", " + max + "], got " + v);
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must be an integer, got '" + v + "'");
        }
    }

    public double number(String name, double def, double min, double max) {
        used.add(name);
        String v = options.get(name);
        if (v == null) return def;
        try {
            double x = Double.parseDouble(v.trim());
            if (!(x >= min && x <= max)) throw new UsageException("option --" + name + " must be in [" + min + ", " + max + "], got " + v);
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must be a number, got '" + v + "'");
        }
    }

    /** One of {@code allowed}; {@code def} null makes the option required. */
    public String choice(String name, String def, String... allowed) {
        String v = string(name, def);
        if (v == null) throw new UsageException("missing required option --" + name);
        for (String a : allowed) if (a.equals(v)) return v;
        throw new UsageException("option --" + name + " must be one of " + String.join("|", allowed) + ", got '" + v + "'");
    }

    /** A comma-separated list of distinct integers in [min, max], e.g. "10,20,30". */
    public List<Integer> integers(String name, String def, int min, int max) {
        String v = string(name, def);
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            int x;
            try { x = Integer.parseInt(part.trim()); }
            catch (NumberFormatException e) { throw new UsageException("option --" + name + " must be integers separated by commas, got '" + v + "'"); }
            if (x < min || x > max) throw new UsageException("option --" + name + ": each value must be in [" + min + ", " + max + "], got " + x);
            if (out.contains(x)) throw new UsageException("option --" + name + " lists " + x + " twice");
            out.add(x);
        }
        return out;
    }

    /** Seeds as "0-9", "3", or "1,4,7". */
    public List<Long> seeds(String name, String def) {
        String v = string(name, def);
        List<Long> out = new ArrayList<>();
        try {
            for (String part : v.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long a = Long.parseLong(p.substring(0, dash)), b = Long.parseLong(p.substring(dash + 1));
                    if (b < a || b - a > 100000) throw new UsageException("option --" + name + " has a bad range '" + p + "'");
                    for (long s = a; s <= b; s++) out.add(s);
                } else out.add(Long.parseLong(p));
            }
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must look like 0-9 or 1,2,3, got '" + v + "'");
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long s : out) {
            if (s < 0) throw new UsageException("option --" + name + " seeds must be >= 0, got " + s);
            if (!seen.add(s)) throw new UsageException("option --" + name + " repeats the seed " + s + " (it would train the same network twice)");
        }
        return out;
    }

    /** An option of the form I/K with 0 <= I < K (a shard or block), as {I, K}; null when absent. */
    public int[] part(String name) {
        String v = string(name, null);
        if (v == null) return null;
        String[] p = v.split("/");
        int i, k;
        try {
            if (p.length != 2) throw new NumberFormatException();
            i = Integer.parseInt(p[0].trim());
            k = Integer.parseInt(p[1].trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must look like I/K (e.g. 0/4), got '" + v + "'");
        }
        if (k < 1 || i < 0 || i >= k) throw new UsageException("option --" + name + " I/K needs 0 <= I < K, got '" + v + "'");
        return new int[] {i, k};
    }

    /** Call after reading every option: unknown options are an error. */
    public void finish() {
        for (String k : options.keySet()) {
            if (!used.contains(k)) throw new UsageException("unknown option --" + k);
        }
        if (positional.size() > positionalsRead) {
            throw new UsageException("unexpected argument '" + io.degen.util.SpecPath.cutMessage(positional.get(positionalsRead)) + "'");
        }
    }
}
