#!/usr/bin/env node
// `deliverybot`: the engine on the command line.
//
//   deliverybot validate [path]   check a deploy.yml (default .github/deploy.yml)
//
// Exit codes: 0 valid, 1 invalid config, 2 usage error or unreadable file.

import { readFileSync } from 'node:fs';
import { validate } from './engine.mjs';

const HELP = `Usage: deliverybot <command>

Commands:
  validate [path]   Check a deploy.yml (default: .github/deploy.yml). Prints each problem as
                    path:line:column: message. Exit 0 when valid, 1 when not, 2 when the file
                    cannot be read.
  help              Show this help.
`;

function main(args) {
  const [command, ...rest] = args;
  switch (command) {
    case 'validate':
      return validateCommand(rest);
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
    text = readFileSync(path, 'utf8');
  } catch (err) {
    process.stderr.write(`deliverybot validate: cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}\n`);
    return 2;
  }
  const { targets, problems } = validate(text);
  for (const { line, column, message } of problems) {
    process.stderr.write(line === null ? `${path}: ${message}\n` : `${path}:${line}:${column}: ${message}\n`);
  }
  if (problems.length > 0) {
    process.stderr.write(`${path}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  process.stdout.write(`${path}: valid, ${targets.length} target${targets.length === 1 ? '' : 's'}${targets.length ? `: ${targets.join(', ')}` : ''}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
