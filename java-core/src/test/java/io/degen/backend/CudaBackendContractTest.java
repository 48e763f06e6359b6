package io.degen.backend;

/** The engine contract ({@link BackendContract}) on the cuda engine. */
class CudaBackendContractTest extends BackendContract {
    @Override protected String engineName() { return "cuda"; }
}
