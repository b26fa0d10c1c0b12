'use strict';
const http = require('http');
const { runJob } = require('./pool');

http.createServer(async (req, res) => {
  const out = await runJob({ url: req.url });
  res.end(JSON.stringify(out));
}).listen(8080);
