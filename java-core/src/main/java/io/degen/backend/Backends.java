package io.degen.backend;

import java.util.Locale;

/**
 * Chooses the engine: {@code java}, {@code mkl}, {@code cuda} or {@code auto} (MKL where its native
 * libraries load, else Java). The choice comes from the caller (CLI {@code --backend}) or the
 * {@code DEGEN_BACKEND} environment variable. Native engines are loaded reflectively so a machine
 * without their libraries still runs everything on the Java engine.
 */
public final class Backends {
    public static final String ENV = "DEGEN_BACKEND";
    /** The names {@link #create} takes. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("java", "mkl", "cuda", "auto");

    private Backends() { }

    /** The name asked for: the explicit one, else $DEGEN_BACKEND, else "auto". */
    public static String requested(String explicit) {
        if (explicit != null && !explicit.isBlank()) return explicit;
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? "auto" : env;
    }

    public static Backend create(String name) {
        String n = requested(name).toLowerCase(Locale.ROOT);
        switch (n) {
            case "java": return new JavaBackend();
            case "mkl": return loadNative("io.degen.backend.MklBackend", "mkl");
            case "cuda": return loadNative("io.degen.backend.cuda.CudaBackend", "cuda");
            case "auto":
                try { return loadNative("io.degen.backend.MklBackend", "mkl"); }
                catch (BackendUnavailableException e) { return new JavaBackend(); }
            default:
                throw new IllegalArgumentException(unknown(name, System.getenv(ENV)));
        }
    }

    /** The error for a name that is no engine, naming where it came from: the caller or $DEGEN_BACKEND. */
    public static String unknown(String explicit, String env) {
        boolean fromEnv = explicit == null || explicit.isBlank();
        return (fromEnv ? "$" + ENV : "backend") + " must be java, mkl, cuda or auto, got '" + (fromEnv ? env : explicit) + "'";
    }

    /** Whether the named native engine loads on this machine (used by tests to skip with a reason). */
    public static String unavailableReason(String name) {
        try (Backend b = create(name)) {
            return null;
        } catch (BackendUnavailableException e) {
            return e.getMessage();
        }
    }

    private static Backend loadNative(String cls, String name) {
        try {
            return (Backend) Class.forName(cls).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new BackendUnavailableException("backend " + name + " is not built into this distribution" + howToBuild(name));
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof BackendUnavailableException bu) throw bu;
            // A bad setting (e.g. DEGEN_MKL_THREADS=abc) is the user's to fix, not a reason to fall back.
            if (c instanceof IllegalArgumentException ia) throw ia;
            throw new BackendUnavailableException("backend " + name + " failed to load: " + c);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new BackendUnavailableException("backend " + name + " failed to load: " + e);
        }
    }

    /** Where an absent engine comes from: only cuda is left out of the default build (it needs the Maven profile). */
    private static String howToBuild(String name) {
        return name.equals("cuda")
                ? " (build it with the Maven profile cuda: mvn -B -Pcuda -DskipTests -pl java-core,dsl -am install, on a machine"
                  + " with the CUDA 13 libraries; see docs/gpu.md)"
                : "";
    }

    /** A native engine that cannot run here (libraries or device missing). */
    public static final class BackendUnavailableException extends RuntimeException {
        public BackendUnavailableException(String msg) { super(msg); }
    }
}
