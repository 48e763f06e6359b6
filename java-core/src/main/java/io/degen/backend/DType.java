package io.degen.backend;

/** Element type of a {@link Buf}. Training runs in F32 like PyTorch; reference checks use F64. */
public enum DType {
    F32, F64;

    public static DType parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "f32": case "float32": case "float": return F32;
            case "f64": case "float64": case "double": return F64;
            default: throw new IllegalArgumentException("dtype must be float32 or float64, got " + s);
        }
    }
}
