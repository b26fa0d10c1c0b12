// Emscripten-style glue (MODULARIZE=1, ENVIRONMENT=node), trimmed by hand for this fixture.
var createModule = (() => {
  return function (moduleArg = {}) {
    var Module = moduleArg;
    var ENVIRONMENT_IS_NODE = typeof process == 'object';
    var HEAPU8;
    function locateFile(path) {
      if (Module['locateFile']) return Module['locateFile'](path, __dirname + '/');
      return __dirname + '/' + path;
    }
    var wasmBinaryFile = locateFile('codec.wasm');
    var fs = require('fs');
    function instantiateWasm(imports) {
      var bytes = fs.readFileSync(wasmBinaryFile);
      return WebAssembly.instantiate(bytes, imports).then(function (result) {
        HEAPU8 = new Uint8Array(result.instance.exports.memory.buffer);
        Module['_encode'] = result.instance.exports.encode;
        return Module;
      });
    }
    return instantiateWasm({ env: {} });
  };
})();
module.exports = createModule;
