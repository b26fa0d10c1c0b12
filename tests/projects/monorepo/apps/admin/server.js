import http from 'node:http';
import { render } from './render.js';

http.createServer((req, res) => res.end(render(req.url))).listen(3000);
