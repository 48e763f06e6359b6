package io.degen.cli;

/** Bad input from the user: the CLI prints the message on one line and exits with code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}
