const SHIM = new URL("./globsync.mjs", import.meta.url).href;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.includes("/@modelcontextprotocol/conformance/dist/") || result.source == null) {
    return result;
  }
  let source = result.source.toString();
  const match = source.match(/globSync as (\w+),/);
  if (!match) return result;
  const shebang = source.startsWith("#!") ? source.slice(0, source.indexOf("\n") + 1) : "";
  source = source.slice(shebang.length).replace(match[0], "");
  source = `${shebang}import { globSync as ${match[1]} } from ${JSON.stringify(SHIM)};` + source;
  return { ...result, source, shortCircuit: true };
}
