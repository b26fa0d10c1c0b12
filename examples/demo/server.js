const { load, startWorker } = require('./loader');

process.env.NODE_OPTIONS = '--no-wasm-tier-up';

load().then((api) => {
  console.log('sum', api.run(10));
  startWorker();
});
