// The demo site: hashes what visitors paste, one worker per request.
const http = require("http");
const path = require("path");
const { Worker } = require("worker_threads");
const wasmHash = require("../../dist/index.cjs");

const server = http.createServer(async (req, res) => {
  const worker = new Worker(path.join(__dirname, "hash-worker.js"));
  worker.once("message", (digest) => res.end(digest));
  worker.once("error", (err) => { res.statusCode = 500; res.end(String(err)); });
  req.pipe(worker.stdin || process.stdout);
});

wasmHash().then(() => server.listen(process.env.PORT || 3000));
