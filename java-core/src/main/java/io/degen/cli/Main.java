package io.degen.cli;

import io.degen.util.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code degen} command line. The result of every command is one JSON object on the last line
 * of stdout; progress goes to stderr. Exit codes: 0 success, 2 bad input, 1 internal failure.
 */
public final class Main {
    private Main() { }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** All commands: the built-in ones plus any registered by other modules (the DSL) via ServiceLoader. */
    public static List<Command> commands() {
        List<Command> cs = new ArrayList<>(Commands.builtIn());
        for (Command c : ServiceLoader.load(Command.class)) cs.add(c);
        return cs;
    }

    /** Plain words for the file-system failures Java reports by class alone. */
    private static String reason(java.nio.file.FileSystemException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "a file of that name is already there (a directory was expected, or a new name)";
        if (e instanceof java.nio.file.NotDirectoryException) return "not a directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.DirectoryNotEmptyException) return "the directory is not empty";
        return e.getClass().getSimpleName();
    }

    private static boolean asksHelp(List<String> words) { return words.contains("--help") || words.contains("-h"); }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        List<Command> cs = commands();
        boolean helpCommand = argv.length > 0 && (argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h"));
        if (argv.length == 0 || helpCommand && argv.length == 1) {
            out.println("usage: degen COMMAND [options]   (degen help COMMAND, or COMMAND --help: that command alone)");
            for (Command c : cs) out.printf("  %-22s %s%n", c.name(), c.help());
            return argv.length == 0 ? 2 : 0;
        }
        String[] words = helpCommand ? Arrays.copyOfRange(argv, 1, argv.length) : argv;
        Command best = null;
        int bestWords = 0;
        for (Command c : cs) {
            String[] name = c.name().split(" ");
            if (name.length <= words.length && Arrays.equals(name, Arrays.copyOf(words, name.length)) && name.length > bestWords) {
                best = c;
                bestWords = name.length;
            }
        }
        if (best == null && words.length > 0) {
            // "bench" or "metric" alone: the commands of that family.
            List<Command> family = new ArrayList<>();
            for (Command c : cs) if (c.name().startsWith(words[0] + " ")) family.add(c);
            if (!family.isEmpty()) {
                boolean help = helpCommand || asksHelp(Arrays.asList(words));
                PrintStream to = help ? out : err;
                if (!help) to.println("degen: '" + words[0] + "' needs one of its commands:");
                for (Command c : family) to.printf("  %-22s %s%n", c.name(), c.help());
                return help ? 0 : 2;
            }
        }
        if (best == null) {
            err.println("degen: unknown command '" + String.join(" ", Arrays.copyOf(words, Math.min(2, words.length)))
                    + "' (run 'degen help' for the list)");
            return 2;
        }
        List<String> rest = Arrays.asList(words).subList(bestWords, words.length);
        if (helpCommand || asksHelp(rest)) {
            out.println("usage: degen " + best.name() + " [options]");
            out.println("  " + best.help());
            return 0;
        }
        try {
            Args args = new Args(rest, best.flags(), err);
            Object result = best.run(args);
            if (result instanceof Printed p) {
                out.print(p.text());
                out.println();
                result = p.json();
            }
            out.println(Json.line(result));
            out.flush();
            return 0;
        } catch (UsageException | IllegalArgumentException | io.degen.store.StoreLock.LockedException
                 | io.degen.backend.Backends.BackendUnavailableException e) {
            // An engine that does not load here is the user's choice to change (another --backend, or build it), not a crash.
            err.println("degen " + best.name() + ": " + e.getMessage());
            return 2;
        } catch (io.degen.store.RunArtifacts.CorruptArtifactException | io.degen.io.Npy.NpyFormatException | io.degen.store.StoreFormatException e) {
            err.println("degen " + best.name() + ": " + e.getMessage());
            return 2;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("degen " + best.name() + ": no such file: " + e.getFile());
            return 2;
        } catch (java.nio.file.FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : reason(e);
            err.println("degen " + best.name() + ": cannot write " + e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "")
                    + ": " + reason);
            return reason.contains("No space left") ? 1 : 2;
        } catch (java.io.IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                err.println("degen " + best.name() + ": no space left on device: " + e.getMessage());
                return 1;
            }
            err.println("degen " + best.name() + ": internal error: " + e);
            if (System.getenv("DEGEN_DEBUG") != null) e.printStackTrace(err);
            return 1;
        } catch (java.sql.SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no space left")) {
                err.println("degen " + best.name() + ": " + e.getMessage());
                return 1;
            }
            err.println("degen " + best.name() + ": internal error: " + e);
            if (System.getenv("DEGEN_DEBUG") != null) e.printStackTrace(err);
            return 1;
        } catch (Exception | OutOfMemoryError e) {
            err.println("degen " + best.name() + ": internal error: " + e);
            if (System.getenv("DEGEN_DEBUG") != null) e.printStackTrace(err);
            return 1;
        }
    }
}
