// Every front-end module links: each name it imports is exported by the module it names, and every module it
// names exists. Node links the whole graph before running any of it, so a broken import fails as a SyntaxError
// (or ERR_MODULE_NOT_FOUND). Each module is imported in its own Node process, where page code that needs a
// DOM may fail afterwards: that is not a linking error and is ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "static", "js");
const LINK_FAILED = 3;
const probe = `
  process.on("unhandledRejection", () => {});
  import(process.argv[1]).catch((error) => {
    if (error instanceof SyntaxError || error?.code === "ERR_MODULE_NOT_FOUND") {
      console.error(error.message);
      process.exit(${LINK_FAILED});
    }
  });
`;

function modules(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith(".js") ? [path] : [];
  });
}

for (const path of modules(root)) {
  const name = relative(root, path);
  test(`static/js/${name} links`, () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe, pathToFileURL(path).href], {
      encoding: "utf8",
      timeout: 20000,
    });
    assert.notEqual(run.status, LINK_FAILED, `${name}: ${run.stderr.trim()}`);
  });
}
