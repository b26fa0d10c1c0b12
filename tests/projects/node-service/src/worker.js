'use strict';
const { parentPort } = require('worker_threads');
const createModule = require('./codec.js');

const ready = createModule();
parentPort.on('message', async (job) => {
  const mod = await ready;
  parentPort.postMessage({ ok: mod._encode(job.url.length) });
});
