// Time zone rules for freeze windows: the engine carries no tz database (it would not fit the
// action's size budget), so when a config's `freeze:` names a zone, the engine asks for it (a step
// `{ type: "zone", name }`) and the host answers with the zone's TZif file from the machine's
// database: `$TZDIR` or /usr/share/zoneinfo (the tzdata package: GitHub's Ubuntu runners have it).

import { readFileSync } from './builtins.mjs';

/** An IANA name as a path inside the database: `Europe/Berlin`, never `..` or an absolute path. */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;

/** The zone's TZif bytes, or undefined when this machine has no such zone (the engine names it). */
export function readZone(name, env = process.env) {
  if (typeof name !== 'string' || !ZONE_NAME.test(name) || name.length > 64) return undefined;
  const dir = (env.TZDIR || '/usr/share/zoneinfo').replace(/\/+$/, '');
  try {
    return readFileSync(`${dir}/${name}`);
  } catch {
    return undefined;
  }
}
