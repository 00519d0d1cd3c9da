/** The torch-generated golden cases (tests/golden/*.json), read for the JS unit tests. */

import { readFileSync } from "node:fs";

export function golden(name) {
  return JSON.parse(readFileSync(new URL(`../golden/${name}.json`, import.meta.url), "utf8")).cases;
}

/** An API field (n or [h, w]) as the lab state's pair. */
export const pair = (value) => (Array.isArray(value) ? value : [value, value]);
