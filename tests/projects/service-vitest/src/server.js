import http from "node:http";
import { resize } from "./codec.js";

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  res.setHeader("content-type", "image/png");
  res.end(await resize(Buffer.concat(chunks), 256));
});

server.listen(process.env.PORT || 8080);
