// Injected into the CommonJS build of the library (scripts/build.sh): `import.meta.url` there is
// the bundle's own file URL, so the .wasm and the schema are found next to it as in the ESM build.
import { pathToFileURL } from 'node:url';

export const import_meta_url = pathToFileURL(__filename).href;
