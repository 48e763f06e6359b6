package io.degen.backend;

/** The engine contract ({@link BackendContract}) on the java engine. */
class JavaBackendContractTest extends BackendContract {
    @Override protected String engineName() { return "java"; }
}
