package io.degen.store;

import java.io.IOException;

/** A store file that exists but cannot be read as what it should be: the user's to fix or recompute (exit 2). */
public class StoreFormatException extends IOException {
    public StoreFormatException(String msg) { super(msg); }
}
