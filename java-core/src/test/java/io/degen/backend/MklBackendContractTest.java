package io.degen.backend;

/** The engine contract ({@link BackendContract}) on the mkl engine. */
class MklBackendContractTest extends BackendContract {
    @Override protected String engineName() { return "mkl"; }
}
