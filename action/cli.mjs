#!/usr/bin/env node
// `deliverybot`: the engine on the command line.
//
//   deliverybot validate [path]   check a deploy.yml (default .github/deploy.yml)
//   deliverybot plan ...          what the engine would do for an event, without writing (plan.mjs)
//   deliverybot schema            print the JSON Schema of deploy.yml
//
// Exit codes: 0 success, 1 invalid config (or a plan that would fail), 2 usage error or unreadable file.

import { readRegularFile } from './builtins.mjs';
import { schema, validate } from './lib.mjs';
import { planCommand } from './plan.mjs';

/** The engine's limit on a deploy.yml (1 MiB): a larger file is not read further than that. */
const CONFIG_LIMIT = 1024 * 1024;

const HELP = `Usage: deliverybot <command> [options]

Commands:
  validate [path]   Check a deploy.yml (default: .github/deploy.yml). Prints each problem as
                    path:line:column: message.
  plan              Show what Deliverybot would do for an event (a payload file, or --ref and
                    --sha), without writing anything. \`deliverybot plan --help\` for its flags.
  schema            Print the JSON Schema of deploy.yml.
  help              Show this help.

Exit status: 0 success, 1 invalid config (or a plan whose run would fail), 2 usage error or
unreadable file. Errors go to stderr.
`;

async function main(args) {
  const [command, ...rest] = args;
  switch (command) {
    case 'validate':
      return validateCommand(rest);
    case 'plan':
      return planCommand(rest);
    case 'schema':
      return schemaCommand(rest);
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`deliverybot: unknown command \`${command}\`\n\n${HELP}`);
      return 2;
  }
}

function validateCommand(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: deliverybot validate [path]\n\nChecks a deploy.yml; prints path:line:column: message for each problem.\n');
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-'));
  if (unknown.length > 0 || args.length > 1) {
    process.stderr.write(`deliverybot validate: unexpected ${unknown[0] ?? args[1]}\nUsage: deliverybot validate [path]\n`);
    return 2;
  }
  const path = args[0] ?? '.github/deploy.yml';
  let text;
  try {
    text = readRegularFile(path, CONFIG_LIMIT).toString('utf8');
  } catch (err) {
    if (err.code === 'EFBIG') return report(path, [{ line: null, message: `the file is larger than ${CONFIG_LIMIT} bytes, the limit (1 MiB)` }]);
    process.stderr.write(`deliverybot validate: cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}\n`);
    return 2;
  }
  const { targets, problems, warnings } = validate(text);
  if (problems.length > 0) return report(path, problems);
  for (const { line, column, message } of warnings) process.stderr.write(`${located(path, line, column)}: warning: ${message}\n`);
  process.stdout.write(`${path}: valid, ${targets.length} target${targets.length === 1 ? '' : 's'}${targets.length ? `: ${targets.join(', ')}` : ''}\n`);
  return 0;
}

/** `path:line:column`, or the path alone for what is about the whole file. */
function located(path, line, column) {
  return line === null ? path : `${path}:${line}:${column}`;
}

/** Prints a config's problems, each at its position; the exit status of an invalid config. */
function report(path, problems) {
  for (const { line, column, message } of problems) process.stderr.write(`${located(path, line, column)}: ${message}\n`);
  process.stderr.write(`${path}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  return 1;
}

function schemaCommand(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: deliverybot schema\n\nPrints the JSON Schema of deploy.yml (draft 2020-12), for editors and other tools.\n');
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`deliverybot schema: unexpected ${args[0]}\nUsage: deliverybot schema\n`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(schema(), null, 2)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
