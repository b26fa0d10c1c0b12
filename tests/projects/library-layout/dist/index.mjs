// ESM entry: a thin wrapper over the CommonJS build, so both share one module instance.
import wasmHash from "./index.cjs";

export default wasmHash;
