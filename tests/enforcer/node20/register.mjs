// Loaded with `node --import` to run the MCP conformance suite on Node 20: the suite
// imports fs.globSync (Node >= 22) although `server --url` never calls it (only its tier
// report globs "**/checks.json"). A load hook swaps that one import for globsync.mjs.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
