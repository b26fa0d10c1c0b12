'use strict';
const os = require('os');
const path = require('path');
const { Worker } = require('worker_threads');

const size = os.availableParallelism();
const workers = [];
for (let i = 0; i < size; i++) {
  const w = new Worker(path.join(__dirname, 'worker.js'), {
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  w.on('error', (err) => console.error('worker failed', err));
  workers.push(w);
}

let next = 0;
function runJob(job) {
  const w = workers[next++ % workers.length];
  return new Promise((resolve) => {
    w.once('message', resolve);
    w.postMessage(job);
  });
}

module.exports = { runJob };
