package io.degen.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npy} (format 1.0-3.0) and {@code .npz} reading and writing: little- or big-endian
 * float32/float64/int32/int64, C order. Malformed files raise {@link NpyFormatException} naming the
 * problem, never an index error.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fi])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Refuses headers claiming absurd sizes before allocating (a fuzzed file must not exhaust memory). */
    private static final long MAX_ELEMENTS = 1L << 30;

    private Npy() { }

    public static final class NpyFormatException extends IOException {
        public NpyFormatException(String msg) { super(msg); }
    }

    /** Largest file read: the largest array allowed, in float64, plus room for a header. */
    private static final long MAX_FILE_BYTES = MAX_ELEMENTS * 8 + (1 << 20);

    public static NdArray read(Path p) throws IOException {
        return parse(bounded(p), p.toString());
    }

    /** The file's bytes; a directory, a device or pipe (e.g. /dev/zero), or an absurdly large file is refused first. */
    static byte[] bounded(Path p) throws IOException {
        if (Files.isDirectory(p)) throw new NpyFormatException(p + " is a directory, not a .npy or .npz file");
        if (!Files.exists(p)) throw new java.nio.file.NoSuchFileException(p.toString());
        if (!Files.isRegularFile(p)) throw new NpyFormatException(p + " is not a regular file (a device or a pipe?)");
        long size = Files.size(p);
        if (size > MAX_FILE_BYTES) throw new NpyFormatException(p + " is " + size + " bytes, more than the largest array degen reads");
        return Files.readAllBytes(p);
    }

    public static NdArray read(InputStream in, String name) throws IOException {
        byte[] all = in.readAllBytes();
        return parse(all, name);
    }

    static NdArray parse(byte[] b, String name) throws NpyFormatException {
        if (b.length < 10) throw new NpyFormatException(name + ": not a .npy file (only " + b.length + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) throw new NpyFormatException(name + ": not a .npy file (bad magic)");
        }
        int major = b[6] & 0xff;
        int headerLen, start;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) { headerLen = bb.getShort(8) & 0xffff; start = 10; }
        else if (major == 2 || major == 3) {
            if (b.length < 12) throw new NpyFormatException(name + ": truncated header");
            long hl = bb.getInt(8) & 0xffffffffL;
            if (hl > b.length) throw new NpyFormatException(name + ": header length " + hl + " exceeds file size");
            headerLen = (int) hl; start = 12;
        } else throw new NpyFormatException(name + ": unsupported .npy version " + major);
        if (start + headerLen > b.length) throw new NpyFormatException(name + ": truncated header");
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find()) throw new NpyFormatException(name + ": unsupported or missing dtype in header " + header.trim());
        if (!f.find()) throw new NpyFormatException(name + ": header lacks fortran_order");
        if (f.group(1).equals("True")) throw new NpyFormatException(name + ": Fortran-order arrays are not supported; save with C order");
        if (!s.find()) throw new NpyFormatException(name + ": header lacks shape");
        char kind = d.group(2).charAt(0);
        int width = Integer.parseInt(d.group(3));
        if (!((kind == 'f' && (width == 4 || width == 8)) || (kind == 'i' && (width == 4 || width == 8)))) {
            throw new NpyFormatException(name + ": dtype " + kind + width + " not supported (use float32, float64, int32 or int64)");
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        List<Integer> dims = new ArrayList<>();
        long count = 1;
        for (String part : s.group(1).split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            long v;
            try { v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t); }
            catch (NumberFormatException e) { throw new NpyFormatException(name + ": bad shape entry '" + t + "'"); }
            if (v < 0 || v > MAX_ELEMENTS) throw new NpyFormatException(name + ": bad shape entry " + v);
            dims.add((int) v);
            count *= v;
            if (count > MAX_ELEMENTS) throw new NpyFormatException(name + ": array too large (" + count + " elements)");
        }
        int dataStart = start + headerLen;
        long need = count * width;
        if (b.length - dataStart < need) {
            throw new NpyFormatException(name + ": truncated data (need " + need + " bytes, have " + (b.length - dataStart) + ")");
        }
        ByteBuffer data = ByteBuffer.wrap(b, dataStart, (int) need).slice().order(order);
        double[] out = new double[(int) count];
        for (int i = 0; i < out.length; i++) {
            if (kind == 'f') out[i] = width == 4 ? data.getFloat(i * 4) : data.getDouble(i * 8);
            else out[i] = width == 4 ? data.getInt(i * 4) : data.getLong(i * 8);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        return new NdArray(shape, out, "" + kind + width);
    }

    public static byte[] toBytes(NdArray a) {
        String dt = a.dtype();
        int width = Integer.parseInt(dt.substring(1));
        char kind = dt.charAt(0);
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < a.shape().length; i++) {
            shape.append(a.shape()[i]);
            if (a.shape().length == 1 || i < a.shape().length - 1) shape.append(", ");
        }
        shape.append(")");
        String h = "{'descr': '<" + kind + width + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = MAGIC.length + 4 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder hb = new StringBuilder(h);
        hb.append(" ".repeat(pad)).append('\n');
        byte[] header = hb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + a.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        for (double v : a.data()) {
            if (kind == 'f') { if (width == 4) out.putFloat((float) v); else out.putDouble(v); }
            else { if (width == 4) out.putInt((int) v); else out.putLong((long) v); }
        }
        return out.array();
    }

    /** Writes atomically: to a temporary sibling, then renamed over the target. */
    public static void write(Path p, NdArray a) throws IOException {
        AtomicFiles.write(p, toBytes(a));
    }

    public static Map<String, NdArray> readNpz(Path p) throws IOException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(bounded(p)))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                String n = e.getName();
                String key = n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
                out.put(key, parse(z.readAllBytes(), p + ":" + n));
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new NpyFormatException(p + ": not a valid .npz archive (" + (e.getMessage() == null ? "truncated" : e.getMessage()) + ")");
        } catch (IllegalArgumentException e) {
            // malformed entry names or headers inside the archive
            throw new NpyFormatException(p + ": not a valid .npz archive (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) throw new NpyFormatException(p + ": .npz archive holds no arrays");
        return out;
    }

    public static void writeNpz(Path p, Map<String, NdArray> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                z.write(toBytes(e.getValue()));
                z.closeEntry();
            }
        }
        AtomicFiles.write(p, bytes.toByteArray());
    }

    static void copy(InputStream in, OutputStream out) throws IOException { in.transferTo(out); }
}
