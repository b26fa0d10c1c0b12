import { digest } from "./lib/hash.ts";

Deno.serve(async (req) => new Response(await digest(await req.text())));
