// Splits the engine's WebAssembly in two: the code that common events run (dist/deliverybot.wasm)
// and the rest (dist/deliverybot.cold.wasm), which is compiled only when a run first needs it.
//
//   node scripts/split.mjs glue build/pkg/deliverybot_wasm.js    # after wasm-bindgen
//   node scripts/split.mjs build/deliverybot.full.wasm build/deliverybot.named.full.wasm
//
// Why: V8 validates a whole module before it runs any of it, and a push runs about a fifth of the
// engine's code (the rest is the general YAML and JSON readers, error messages, rarer events and
// commands). Validating 380 KB of code cost a cold start 1.8 ms on Node 24 and 2.9 ms on Node 20;
// reading and copying the file is paid per byte too. README (Performance) has the measurements.
//
// How, with binaryen (the npm package the build already uses for wasm-opt):
// 1. Profile: a copy of the module that records every function it enters runs the scenarios of
//    scripts/split-scenarios.mjs (pushes, a pull request, a status, a /deploy comment, deployment
//    statuses with their post steps; with three configs) through the real engine loop against the
//    fake GitHub of the tests.
//    What they enter is "hot". It is deterministic, so the build stays reproducible.
// 2. The main module keeps the hot functions. Each cold one that it still calls becomes a stub that
//    loads the cold module once (the import `deliverybot_cold.load`, action/engine.mjs) and then
//    calls the real function through a table slot that the cold module fills when instantiated.
// 3. The cold module holds the cold functions. It imports the main module's memory, tables and
//    mutable globals, so both share one state, and calls hot functions through table slots too.
// A run that needs cold code pays about what every run paid before (compiling it): a profile that
// misses a function costs time, never correctness. Every test runs the split build; the common
// events are pinned to the main module by tests/split.test.mjs and by the benchmark.
//
// The named build (build/deliverybot.named.wasm, for the benchmark's per-function report) is split
// the same way, by the same profile: the two modules have the same functions in the same order.

import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SignExt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.Multivalue;

/** Import namespace of the main module's extra imports (the JS glue provides it: build.sh). */
export const COLD_NAMESPACE = 'deliverybot_cold';
const PRIMARY = 'primary';

function read(bytes) {
  const module = binaryen.readBinary(bytes);
  module.setFeatures(FEATURES);
  return module;
}

/** Every function of the module, imported or defined, in module order (binaryen's function info). */
function functionsOf(module) {
  const out = [];
  for (let i = 0; i < module.getNumFunctions(); i++) out.push(binaryen.getFunctionInfo(module.getFunctionByIndex(i)));
  return out;
}

/** Defined (not imported) functions, in module order. */
function definedFunctions(module) {
  return functionsOf(module).filter((info) => !info.module);
}

/**
 * A copy of the module whose every function first calls `deliverybot_cold.hit(n)`, n its position
 * among the defined functions.
 */
export function instrument(bytes) {
  const module = read(bytes);
  const functions = definedFunctions(module);
  module.addFunctionImport('__profile_hit', COLD_NAMESPACE, 'hit', binaryen.i32, binaryen.none);
  functions.forEach((info, n) => {
    const ref = module.getFunction(info.name);
    const hit = module.call('__profile_hit', [module.i32.const(n)], binaryen.none);
    binaryen._BinaryenFunctionSetBody(ref, module.block(null, [hit, info.body], info.results));
  });
  if (!module.validate()) throw new Error('split: the instrumented module does not validate');
  const out = module.emitBinary();
  module.dispose();
  return out;
}

/**
 * `{ primary, cold, stats }` from the full module and the positions (among defined functions) of
 * the hot ones.
 *
 * The two modules call each other through the function table, not through exports and imports:
 * V8 makes a JS function object for every exported function when it instantiates a module, and
 * exporting the few hundred hot functions that cold code calls cost each run 0.4 ms (measured).
 * The table gets two new ranges after its own entries: the hot functions the cold module calls
 * (filled by the main module) and the cold functions the main module calls (filled by the cold
 * module when it is instantiated).
 */
export function split(bytes, hot, { names: keepNames = false } = {}) {
  binaryen.setDebugInfo(keepNames);
  const probe = read(bytes);
  checkAssumptions(probe);
  const functions = definedFunctions(probe);
  const table = functionTable(probe);
  probe.dispose();
  // Which build the two halves come from: the cold module refuses a main module of another one.
  const build = fnv1a(bytes);
  const hotNames = new Set([...hot].map((n) => functions[n].name));
  const coldNames = new Set(functions.filter((f) => !hotNames.has(f.name)).map((f) => f.name));

  // Which cold functions the main module still calls once cold bodies are gone.
  const reach = read(bytes);
  for (const f of functions) {
    if (!hotNames.has(f.name)) binaryen._BinaryenFunctionSetBody(reach.getFunction(f.name), reach.unreachable());
  }
  reach.runPasses(['remove-unused-module-elements']);
  const entries = functionsOf(reach).map((f) => f.name).filter((name) => coldNames.has(name));
  const entrySlot = new Map(entries.map((name, k) => [name, k]));
  reach.dispose();

  // The cold module: those functions and what they call, the rest coming from the main module.
  const secondary = read(bytes);
  for (let i = secondary.getNumExports() - 1; i >= 0; i--) {
    secondary.removeExport(binaryen.getExportInfo(secondary.getExportByIndex(i)).name);
  }
  binaryen._BinaryenSetStart(secondary.ptr, 0);
  for (let i = secondary.getNumElementSegments() - 1; i >= 0; i--) {
    secondary.removeElementSegment(binaryen.getElementSegmentInfo(secondary.getElementSegmentByIndex(i)).name);
  }
  // The same memory, without its data: the main module put that in place.
  const memory = secondary.getMemoryInfo();
  secondary.setMemory(memory.initial, memory.max ?? -1, null, [], false, false, '0');
  secondary.addMemoryImport('0', PRIMARY, 'memory');
  // Exported and imported by position, not by name: the named twin has other names, same positions.
  for (let i = 0; i < secondary.getNumTables(); i++) {
    secondary.addTableImport(binaryen.getTableInfo(secondary.getTableByIndex(i)).name, PRIMARY, `table_${i}`);
  }
  for (const [k, global] of mutableGlobals(secondary).entries()) {
    secondary.removeGlobal(global.name);
    secondary.addGlobalImport(global.name, PRIMARY, `global_${k}`, global.type, true);
  }
  // First as imports, to find out which of them cold code calls (the glue's imports included).
  const outside = functionsOf(secondary).filter((f) => f.module);
  for (const f of [...outside, ...functions.filter((f) => hotNames.has(f.name))]) {
    secondary.removeFunction(f.name);
    secondary.addFunctionImport(f.name, PRIMARY, f.name, f.params, f.results);
  }
  secondary.addActiveElementSegment(table.name, 'cold', entries, secondary.i32.const(0));
  secondary.runPasses(['remove-unused-module-elements']);
  const called = functionsOf(secondary).filter((f) => f.module === PRIMARY);
  const hotBase = table.initial;
  const coldBase = hotBase + called.length;
  const tableSize = coldBase + entries.length;
  // ... then as calls through the table slots that the main module fills.
  for (const [k, f] of called.entries()) {
    secondary.removeFunction(f.name);
    secondary.addFunction(f.name, f.params, f.results, [], forward(secondary, table.name, hotBase + k, f));
  }
  secondary.removeElementSegment('cold');
  secondary.addActiveElementSegment(table.name, 'cold', entries, secondary.i32.const(coldBase));
  resize(secondary, table.name, tableSize);
  secondary.addGlobalImport('__split_build', PRIMARY, 'split_build', binaryen.i32, false);
  const mismatch = secondary.i32.ne(secondary.global.get('__split_build', binaryen.i32), secondary.i32.const(build));
  secondary.addFunction('__split_check', binaryen.none, binaryen.none, [], secondary.if(mismatch, secondary.unreachable()));
  secondary.setStart(secondary.getFunction('__split_check'));
  if (!secondary.validate()) throw new Error('split: the cold module does not validate');
  const coldBytes = secondary.emitBinary();
  secondary.dispose();

  // The main module: hot functions as they were, cold ones as stubs that load the cold module.
  const primary = read(bytes);
  primary.addFunctionImport('__cold_load', COLD_NAMESPACE, 'load', binaryen.none, binaryen.none);
  primary.addGlobal('__cold_loaded', binaryen.i32, true, primary.i32.const(0));
  primary.addGlobalExport('__cold_loaded', 'cold_loaded');
  primary.addGlobal('__split_build', binaryen.i32, false, primary.i32.const(build));
  primary.addGlobalExport('__split_build', 'split_build');
  resize(primary, table.name, tableSize);
  primary.addActiveElementSegment(table.name, 'hot', called.map((f) => f.name), primary.i32.const(hotBase));
  for (const f of functions) {
    if (!coldNames.has(f.name)) continue;
    const at = entrySlot.get(f.name);
    const body =
      at === undefined
        ? primary.unreachable() // not called from the main module: removed below
        : primary.block(
            null,
            [
              primary.if(primary.i32.eqz(primary.global.get('__cold_loaded', binaryen.i32)), primary.call('__cold_load', [], binaryen.none)),
              forward(primary, table.name, coldBase + at, f),
            ],
            f.results,
          );
    binaryen._BinaryenFunctionSetBody(primary.getFunction(f.name), body);
    primary.runPassesOnFunction(f.name, ['reorder-locals']); // drops the locals of the old body
  }
  for (let i = 0; i < primary.getNumTables(); i++) {
    primary.addTableExport(binaryen.getTableInfo(primary.getTableByIndex(i)).name, `table_${i}`);
  }
  for (const [k, global] of mutableGlobals(primary).filter((g) => g.name !== '__cold_loaded').entries()) {
    primary.addGlobalExport(global.name, `global_${k}`);
  }
  primary.runPasses(['remove-unused-module-elements', 'vacuum']);
  if (!primary.validate()) throw new Error('split: the main module does not validate');
  const primaryBytes = primary.emitBinary();
  primary.dispose();

  return {
    primary: primaryBytes,
    cold: coldBytes,
    stats: { functions: functions.length, hot: hotNames.size, entries: entries.length, called: called.length },
  };
}

/** A call of `f`'s signature through table slot `slot`, with the enclosing function's parameters. */
function forward(module, table, slot, f) {
  const operands = binaryen.expandType(f.params).map((type, index) => module.local.get(index, type));
  return module.call_indirect(table, module.i32.const(slot), operands, f.params, f.results);
}

function resize(module, table, size) {
  binaryen._BinaryenTableSetInitial(module.getTable(table), size);
  binaryen._BinaryenTableSetMax(module.getTable(table), size);
}

/**
 * What the split relies on, checked on every build so that a new toolchain cannot break it quietly:
 * the cold module gets no data (the main module's memory is already initialised: no passive segments
 * that code would copy in), and the function table does not change at run time (the slots added
 * after its entries are fixed), nor are functions compared by reference (a stub is another function).
 */
function checkAssumptions(module) {
  const text = module.emitText();
  for (const [pattern, what] of [
    [/\((memory\.init|data\.drop)\b/, 'passive data (memory.init, data.drop)'],
    [/\((table\.(grow|set|fill|copy|init)|elem\.drop)\b/, 'a table changed at run time'],
    [/\(ref\.func\b/, 'a function reference (ref.func)'],
  ]) {
    if (pattern.test(text)) throw new Error(`split: the module uses ${what}, which scripts/split.mjs does not handle`);
  }
}

/** FNV-1a of the bytes, as a signed 32-bit number (a WebAssembly i32 constant). */
function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash | 0;
}

/** The funcref table that `call_indirect` uses (LLVM's `__indirect_function_table`). */
function functionTable(module) {
  for (let i = 0; i < module.getNumTables(); i++) {
    const ref = module.getTableByIndex(i);
    if (binaryen._BinaryenTableGetType(ref) === binaryen.funcref) return binaryen.getTableInfo(ref);
  }
  throw new Error('split: the module has no function table');
}

function mutableGlobals(module) {
  const out = [];
  for (let i = 0; i < module.getNumGlobals(); i++) {
    const info = binaryen.getGlobalInfo(module.getGlobalByIndex(i));
    if (info.mutable && !info.module) out.push(info);
  }
  return out;
}

/**
 * Gives wasm-bindgen's glue the import namespace of the split: an object that action/engine.mjs
 * fills (`load`) and the profile fills (`hit`). The glue comes from the pinned wasm-bindgen CLI; if
 * its text ever changes, this fails rather than build a module that cannot be instantiated.
 */
function patchGlue(file) {
  const glue = readFileSync(file, 'utf8');
  const anchor = '        "./deliverybot_wasm_bg.js": import0,\n';
  if (glue.split(anchor).length !== 2) throw new Error(`split: ${file} does not have the import object this script knows`);
  const patched =
    glue.replace(anchor, `${anchor}        ${COLD_NAMESPACE}: coldImports,\n`) +
    '\n/** The split module\'s own imports (scripts/split.mjs): `load` is set by action/engine.mjs. */\n' +
    'export const coldImports = { __proto__: null };\n';
  writeFileSync(file, patched);
}

async function build(fullPath, namedPath) {
  const bytes = readFileSync(fullPath);
  const named = readFileSync(namedPath);
  const hits = new Set();
  const { coldImports } = await import('../build/pkg/deliverybot_wasm.js');
  coldImports.hit = (n) => hits.add(n);
  const { runScenarios } = await import('./split-scenarios.mjs');
  await runScenarios(new WebAssembly.Module(instrument(bytes)));

  const main = split(bytes, hits);
  const byName = split(named, hits, { names: true });
  if (JSON.stringify(main.stats) !== JSON.stringify(byName.stats)) {
    throw new Error(`split: the named build differs from the shipped one (${JSON.stringify(byName.stats)} vs ${JSON.stringify(main.stats)})`);
  }
  writeFileSync('dist/deliverybot.wasm', main.primary);
  writeFileSync('dist/deliverybot.cold.wasm', main.cold);
  writeFileSync('build/deliverybot.named.wasm', byName.primary);
  writeFileSync('build/deliverybot.named.cold.wasm', byName.cold);
  const { functions, hot, entries, called } = main.stats;
  console.error(
    `split: ${hot} of ${functions} functions in the main module (${main.primary.length} bytes), the rest in the cold one ` +
      `(${main.cold.length} bytes); calls across: ${entries} into the cold module, ${called} out of it`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'glue') patchGlue(rest[0]);
  else await build(command, rest[0]);
}
