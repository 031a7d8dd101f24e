// Minimal "**/NAME" globSync, only for Node versions whose fs lacks one.
import fs from "node:fs";
import path from "node:path";

export function globSync(pattern, options) {
  if (typeof fs.globSync === "function") return fs.globSync(pattern, options);
  const cwd = (options && options.cwd) || process.cwd();
  const name = String(pattern).replace(/^\*\*\//, "");
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(cwd, dir), { withFileTypes: true })) {
      const rel = dir ? path.join(dir, entry.name) : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name === name) out.push(rel);
    }
  };
  walk("");
  return out;
}
