package io.degen.pipeline;

import io.degen.io.NdArray;
import io.degen.io.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PyTorch state dict, as saved with {@code numpy.savez}, read as the parameters of degen's
 * standard model: one tanh nn.RNN layer and an nn.Linear read-out. The RNN is found by its
 * {@code weight_hh_l0} under any module name ({@code weight_hh_l0} of a bare nn.RNN,
 * {@code rnn.weight_hh_l0} of a model's state_dict()); the read-out is the one other 2-D
 * {@code NAME.weight}. Where the file holds several, the caller names them ({@code --rnn},
 * {@code --readout}). Missing biases (bias=False) are zeros. Anything degen cannot model (more
 * layers, a bidirectional RNN, GRU/LSTM gates, a pickled .pt file) is refused with the reason.
 *
 * @param weights  the parameters under degen's (PyTorch's bare) names, float64, biases 1-D
 * @param rnn      the RNN's module name in the file ("" for a bare nn.RNN)
 * @param readout  the read-out's module name in the file
 * @param ignored  keys of the file that are not part of the network, in file order
 */
public record TorchState(Map<String, NdArray> weights, String rnn, String readout, List<String> ignored) {
    /** Where the export snippet lives; every refusal points there. */
    static final String DOC = "docs/models.md";
    static final String NOT_VANILLA = "not a vanilla nn.RNN + nn.Linear state; save it with numpy.savez as shown in " + DOC;
    static final String ONE_LAYER = "degen models one recurrent layer: a vanilla tanh nn.RNN (num_layers=1) with an nn.Linear read-out";

    private static final Pattern RNN_KEY = Pattern.compile("(?:(.*)\\.)?(weight|bias)_(ih|hh)_l(\\d+)(_reverse)?");
    private static final Pattern RECURRENT = Pattern.compile("(?:(.*)\\.)?weight_hh_l0");
    /** Parameters of an LSTM with proj_size, never of a vanilla RNN. */
    private static final Pattern LSTM_PROJECTION = Pattern.compile("weight_hr_l\\d+(_reverse)?");

    public TorchState {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        ignored = List.copyOf(ignored);
    }

    /** Hidden units of the network. */
    public int hidden() { return weights.get("weight_hh_l0").dim(0); }

    /**
     * Reads {@code file} (an .npz of the state dict) and picks the network out of it; {@code rnn} and
     * {@code readout} name the modules (null: found when unambiguous). A .pt/.pth file (torch.save's
     * pickles) is refused with the way to export it.
     */
    public static TorchState read(Path file, String rnn, String readout) throws IOException {
        Map<String, NdArray> arrays;
        try {
            arrays = Npy.readNpz(file);
        } catch (Npy.NpyFormatException e) {
            String pickled = pickled(file);
            if (pickled != null) throw new IllegalArgumentException(file + ": " + pickled + ", " + NOT_VANILLA);
            throw e;
        }
        for (var e : arrays.entrySet()) e.getValue().requireFinite(file + ": array " + e.getKey());
        return of(arrays, file.toString(), rnn, readout);
    }

    /** Why this file is a torch.save file and not an .npz (null when it does not look like one). */
    static String pickled(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) { n = in.readNBytes(head, 0, 4); }
        // pickle protocol 2+ starts with 0x80 (torch.save before PyTorch 1.6 writes bare pickles)
        if (n >= 1 && (head[0] & 0xff) == 0x80) return "a pickle (torch.save's format, a .pt/.pth file)";
        if (n < 4 || head[0] != 'P' || head[1] != 'K') return null;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
            boolean pkl = z.stream().anyMatch(e -> e.getName().endsWith(".pkl"));
            return pkl ? "a zip of pickles (torch.save's format, a .pt/.pth file), not an .npz" : null;
        } catch (java.util.zip.ZipException e) {
            return null;
        }
    }

    /** Picks the network out of a state dict's arrays; {@code source} names it in messages. */
    public static TorchState of(Map<String, NdArray> state, String source, String rnn, String readout) {
        String m = recurrentModule(state, source, rnn);
        String p = m.isEmpty() ? "" : m + ".";
        refuseProjections(state, source, p);
        NdArray whh = state.get(p + "weight_hh_l0").requireRank(source + ": " + p + "weight_hh_l0", 2);
        int h = whh.dim(1);
        // gates first: a 2-layer GRU is refused as a GRU, which is what the user needs to hear
        if (whh.dim(0) != h) throw new IllegalArgumentException(source + ": " + p + "weight_hh_l0 has shape " + Arrays.toString(whh.shape())
                + gates(whh.dim(0), h) + ": " + NOT_VANILLA);
        refuseLayers(state, source, m);
        NdArray wih = require(state, source, p + "weight_ih_l0", "the input weights of the nn.RNN").requireRank(source + ": " + p + "weight_ih_l0", 2);
        if (wih.dim(0) != h) throw new IllegalArgumentException(source + ": " + p + "weight_ih_l0 has shape " + Arrays.toString(wih.shape())
                + ", but the recurrent weights make " + h + " hidden units (expected [" + h + ", inputs])" + gates(wih.dim(0), h) + ": " + NOT_VANILLA);
        List<String> used = new ArrayList<>(List.of(p + "weight_hh_l0", p + "weight_ih_l0"));
        NdArray[] biases = rnnBiases(state, source, p, h, used);
        String r = readoutModule(state, source, m, readout);
        String rp = r.isEmpty() ? "" : r + ".";
        NdArray wout = state.get(rp + "weight");
        if (wout.dim(1) != h) {
            throw new IllegalArgumentException(source + ": read-out " + rp + "weight has shape " + Arrays.toString(wout.shape())
                    + ", but the nn.RNN has " + h + " hidden units (expected [outputs, " + h + "])");
        }
        used.add(rp + "weight");
        NdArray bout = vector(state, source, rp + "bias", wout.dim(0), used);
        Map<String, NdArray> w = new LinkedHashMap<>();
        w.put("weight_ih_l0", f64(wih));
        w.put("weight_hh_l0", f64(whh));
        w.put("bias_ih_l0", biases[0]);
        w.put("bias_hh_l0", biases[1]);
        w.put("readout.weight", f64(wout));
        w.put("readout.bias", bout);
        List<String> ignored = new ArrayList<>();
        for (String k : state.keySet()) if (!used.contains(k)) ignored.add(k);
        return new TorchState(w, m, r, ignored);
    }

    /** The module whose weight_hh_l0 is the network's: the named one, or the only one. */
    private static String recurrentModule(Map<String, NdArray> state, String source, String named) {
        TreeSet<String> found = new TreeSet<>();
        for (String k : state.keySet()) {
            Matcher x = RECURRENT.matcher(k);
            if (x.matches()) found.add(x.group(1) == null ? "" : x.group(1));
        }
        if (named != null) {
            String n = strip(named);
            if (!found.contains(n)) {
                throw new IllegalArgumentException(source + " has no " + (n.isEmpty() ? "" : n + ".") + "weight_hh_l0 (--rnn " + named + "); "
                        + (found.isEmpty() ? "it holds no nn.RNN weights" : "nn.RNN modules in it: " + names(found)));
            }
            return n;
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no weight_hh_l0 (the recurrent weights of an nn.RNN, e.g. rnn.weight_hh_l0"
                    + " in a model's state_dict()); keys: " + cut(state.keySet()) + ": " + NOT_VANILLA);
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(source + " holds " + found.size() + " recurrent modules (" + names(found)
                    + "); name the network's with --rnn NAME");
        }
        return found.first();
    }

    /** An LSTM with proj_size has weight_hr_l0 (and a non-square weight_hh_l0 that would not say why). */
    private static void refuseProjections(Map<String, NdArray> state, String source, String prefix) {
        for (String k : state.keySet()) {
            if (k.startsWith(prefix) && LSTM_PROJECTION.matcher(k.substring(prefix.length())).matches()) {
                throw new IllegalArgumentException(source + " holds " + k + " (an nn.LSTM's projection): " + NOT_VANILLA);
            }
        }
    }

    /** More layers or a reverse direction under the module: degen cannot run them, so it says so rather than drop them. */
    private static void refuseLayers(Map<String, NdArray> state, String source, String module) {
        int layers = 1;
        String reverse = null;
        for (String k : state.keySet()) {
            Matcher x = RNN_KEY.matcher(k);
            if (x.matches() && module.equals(x.group(1) == null ? "" : x.group(1))) {
                layers = Math.max(layers, Integer.parseInt(x.group(4)) + 1);
                if (x.group(5) != null && reverse == null) reverse = k;
            }
        }
        if (layers > 1) {
            throw new IllegalArgumentException(source + " holds a " + layers + "-layer nn.RNN (keys up to ..._l" + (layers - 1) + "); " + ONE_LAYER
                    + " (export a model built with nn.RNN(..., num_layers=1))");
        }
        if (reverse != null) {
            throw new IllegalArgumentException(source + " holds a bidirectional nn.RNN (" + reverse + "); " + ONE_LAYER
                    + " (export a model built with bidirectional=False)");
        }
    }

    /** ", 3H x H: the gates of an nn.GRU" where the row count says so; "" otherwise. */
    private static String gates(int rows, int h) {
        if (rows == 3 * h) return " (3H x H with H = " + h + ": the gates of an nn.GRU)";
        if (rows == 4 * h) return " (4H x H with H = " + h + ": the gates of an nn.LSTM)";
        return "";
    }

    /** bias_ih_l0 and bias_hh_l0, or zeros for both when the nn.RNN has none (bias=False). */
    private static NdArray[] rnnBiases(Map<String, NdArray> state, String source, String p, int h, List<String> used) {
        boolean ih = state.containsKey(p + "bias_ih_l0"), hh = state.containsKey(p + "bias_hh_l0");
        if (ih != hh) {
            throw new IllegalArgumentException(source + " holds " + p + (ih ? "bias_ih_l0" : "bias_hh_l0") + " but not " + p
                    + (ih ? "bias_hh_l0" : "bias_ih_l0") + " (an nn.RNN has both biases, or none with bias=False)");
        }
        return new NdArray[] {vector(state, source, p + "bias_ih_l0", h, used), vector(state, source, p + "bias_hh_l0", h, used)};
    }

    /** The bias {@code key} of {@code n} values, or zeros where the module has no bias. */
    private static NdArray vector(Map<String, NdArray> state, String source, String key, int n, List<String> used) {
        NdArray b = state.get(key);
        if (b == null) return NdArray.f64(new double[n], n);
        if (b.rank() != 1 || b.dim(0) != n) {
            throw new IllegalArgumentException(source + ": " + key + " has shape " + Arrays.toString(b.shape()) + ", expected [" + n + "]");
        }
        used.add(key);
        return NdArray.f64(b.data().clone(), n);
    }

    /** The read-out's module: the named one, or the only 2-D NAME.weight outside the RNN. */
    private static String readoutModule(Map<String, NdArray> state, String source, String rnnModule, String named) {
        if (named != null) {
            String n = strip(named), key = n.isEmpty() ? "weight" : n + ".weight";
            NdArray w = state.get(key);
            if (w == null || w.rank() != 2) {
                throw new IllegalArgumentException(source + (w == null ? " has no " + key : ": " + key + " has shape " + Arrays.toString(w.shape())
                        + ", not a 2-D nn.Linear weight") + " (--readout " + named + "); 2-D weights in it: " + names(linearModules(state, rnnModule)));
            }
            return n;
        }
        TreeSet<String> found = linearModules(state, rnnModule);
        if (found.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no nn.Linear read-out (a 2-D NAME.weight beside the nn.RNN's weights, e.g. "
                    + "fc.weight); keys: " + cut(state.keySet()));
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(source + " holds " + found.size() + " 2-D weights that could be the read-out (" + names(found)
                    + "); name it with --readout NAME. Only that nn.Linear is imported: " + ONE_LAYER);
        }
        return found.first();
    }

    /** Module names of the 2-D NAME.weight arrays outside the RNN module. */
    private static TreeSet<String> linearModules(Map<String, NdArray> state, String rnnModule) {
        TreeSet<String> found = new TreeSet<>();
        for (var e : state.entrySet()) {
            String k = e.getKey();
            if ((k.equals("weight") || k.endsWith(".weight")) && e.getValue().rank() == 2) {
                String mod = k.equals("weight") ? "" : k.substring(0, k.length() - ".weight".length());
                if (!mod.equals(rnnModule)) found.add(mod);
            }
        }
        return found;
    }

    private static NdArray require(Map<String, NdArray> state, String source, String key, String what) {
        NdArray a = state.get(key);
        if (a == null) throw new IllegalArgumentException(source + " lacks " + key + " (" + what + "): " + NOT_VANILLA);
        return a;
    }

    private static NdArray f64(NdArray a) { return new NdArray(a.shape().clone(), a.data().clone(), "f8"); }

    private static String strip(String name) { return name.endsWith(".") ? name.substring(0, name.length() - 1) : name; }

    private static String names(java.util.Collection<String> modules) {
        List<String> out = new ArrayList<>();
        for (String m : modules) out.add(m.isEmpty() ? "(no module name)" : m);
        return String.join(", ", out);
    }

    private static String cut(java.util.Collection<String> keys) {
        List<String> l = new ArrayList<>(keys);
        return String.join(", ", l.size() <= 12 ? l : l.subList(0, 12)) + (l.size() > 12 ? " and " + (l.size() - 12) + " more" : "");
    }

    /**
     * SHA-256 (hex) of the network's parameters: names, shapes and float64 values of each map in
     * turn, names sorted. It depends on the numbers only, not on how the .npz was written (float32
     * or float64, compressed or not, key order), so importing the same network twice gives one id.
     */
    public static String sha256(List<Map<String, NdArray>> parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Map<String, NdArray> part : parts) {
                d.update((byte) '{');
                for (var e : new TreeMap<>(part).entrySet()) {
                    NdArray a = e.getValue();
                    d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                    ByteBuffer b = ByteBuffer.allocate(4 + 4 * a.rank() + 8 * a.size());
                    b.putInt(a.rank());
                    for (int s : a.shape()) b.putInt(s);
                    for (double v : a.data()) b.putDouble(v == 0 ? 0.0 : v); // -0.0 and 0.0 are the same weight
                    d.update(b.array());
                }
                d.update((byte) '}');
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
