const http = require("node:http");
const createCodec = require("../dist/codec.js");
const createCodec64 = require("../dist/codec64.js");

const LARGE = 512 * 1024 * 1024;

Promise.all([createCodec(), createCodec64()]).then(([codec, codec64]) => {
  http.createServer((req, res) => {
    const size = Number(req.headers["content-length"] || 0);
    res.end(String((size > LARGE ? codec64 : codec)._encode(size)));
  }).listen(8080);
});
