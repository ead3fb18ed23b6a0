#!/usr/bin/env node
// `deliverybot`: the engine on the command line.
//
//   deliverybot validate [path]   check a deploy.yml (default .github/deploy.yml)
//   deliverybot plan ...          what the engine would do for an event, without writing (plan.mjs)
//   deliverybot schema            print the JSON Schema of deploy.yml
//   deliverybot workflow ...      print the workflow that runs Deliverybot for a deploy.yml
//   deliverybot --version         print the version
//
// Exit codes: 0 success, 1 invalid config (or a plan that would fail), 2 usage error or unreadable file.

import { parseArgs } from 'node:util';
import { readdirSync, readRegularFile } from './builtins.mjs';
import { workflow } from './engine.mjs';
import { schema, validate } from './lib.mjs';
import { planCommand } from './plan.mjs';
import { VERSION } from './version.mjs';

/** The engine's limit on a deploy.yml (1 MiB): a larger file is not read further than that. */
const CONFIG_LIMIT = 1024 * 1024;

/**
 * The Deliverybot release `deliverybot workflow` pins: the commit of the release and its version. The
 * release process sets `sha` to the commit it publishes the package from; a package built from a
 * checkout has none, and the command then needs `--action-ref`.
 */
const RELEASE = { sha: '', version: 'v1' };

/** Where GitHub reads workflow files, and the repository path each of them is named by. */
const WORKFLOWS = '.github/workflows';

const HELP = `Usage: deliverybot <command> [options]

Commands:
  validate [path]   Check a deploy.yml (default: .github/deploy.yml). Prints each problem as
                    path:line:column: message. With --workflows DIR, also names each target that
                    no trigger of the workflows running Deliverybot can re-evaluate.
  workflow          Print the .github/workflows/deliverybot.yml that the config needs: it starts a
                    job only on events that can deploy. \`deliverybot workflow --help\` for its flags.
  plan              Show what Deliverybot would do for an event (a payload file, or --ref and
                    --sha), without writing anything. \`deliverybot plan --help\` for its flags.
  schema            Print the JSON Schema of deploy.yml.
  help              Show this help.
  --version         Print the version.

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
    case 'workflow':
      return workflowCommand(rest);
    case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
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

const VALIDATE_USAGE = 'Usage: deliverybot validate [path] [--workflows DIR]';

function validateCommand(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${VALIDATE_USAGE}\n\nChecks a deploy.yml; prints path:line:column: message for each problem. With --workflows
DIR (the repository's .github/workflows), also warns of each target that no trigger of the
workflows that run Deliverybot can re-evaluate (a target waiting for a check that nothing follows).\n`);
    return 0;
  }
  const positionals = [];
  let workflowsDir;
  for (let at = 0; at < args.length; at++) {
    const arg = args[at];
    if (arg === '--workflows' && at + 1 < args.length) workflowsDir = args[++at];
    else if (arg.startsWith('--workflows=')) workflowsDir = arg.slice('--workflows='.length);
    else if (arg.startsWith('-') || positionals.length > 0) {
      process.stderr.write(`deliverybot validate: unexpected ${arg}\n${VALIDATE_USAGE}\n`);
      return 2;
    } else positionals.push(arg);
  }
  const path = positionals[0] ?? '.github/deploy.yml';
  const text = readConfig('validate', path);
  if (typeof text === 'number') return text;
  const { targets, problems, warnings } = validate(text);
  if (problems.length > 0) return report(path, problems);
  for (const { line, column, message } of warnings) process.stderr.write(`${located(path, line, column)}: warning: ${message}\n`);
  if (workflowsDir !== undefined) {
    const files = readWorkflows('validate', workflowsDir, { required: true });
    if (typeof files === 'number') return files;
    const { findings } = workflow({ config: text, workflows: files });
    for (const { line, column, message } of findings) process.stderr.write(`${located(path, line, column)}: warning: ${message}\n`);
  }
  process.stdout.write(`${path}: valid, ${targets.length} target${targets.length === 1 ? '' : 's'}${targets.length ? `: ${targets.join(', ')}` : ''}\n`);
  return 0;
}

/** A deploy.yml's text; an exit status when it cannot be read (too large: a problem of the file). */
function readConfig(command, path) {
  try {
    return readRegularFile(path, CONFIG_LIMIT).toString('utf8');
  } catch (err) {
    if (err.code === 'EFBIG') return report(path, [{ line: null, message: `the file is larger than ${CONFIG_LIMIT} bytes, the limit (1 MiB)` }]);
    process.stderr.write(`deliverybot ${command}: cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}\n`);
    return 2;
  }
}

/**
 * The workflow files of a directory (`*.yml`, `*.yaml`), each named by its path in the repository
 * (`.github/workflows/ci.yml`, which is what GitHub calls a workflow without a `name`). Only regular
 * files are read, each no further than 1 MiB; one that cannot be read is a warning and is left out.
 * A directory that does not exist is no workflows, unless it was asked for: then an exit status.
 */
function readWorkflows(command, dir, { required }) {
  let names;
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (err) {
    if (err.code === 'ENOENT' && !required) return [];
    process.stderr.write(`deliverybot ${command}: cannot read ${dir}: ${err.code === 'ENOENT' ? 'no such directory' : err.message}\n`);
    return 2;
  }
  const files = [];
  for (const name of names) {
    try {
      files.push({ path: `${WORKFLOWS}/${name}`, text: readRegularFile(`${dir}/${name}`, CONFIG_LIMIT).toString('utf8') });
    } catch (err) {
      process.stderr.write(`${dir}/${name}: warning: not read: ${err.code === 'EFBIG' ? 'larger than 1 MiB' : err.message}\n`);
    }
  }
  return files;
}

const WORKFLOW_HELP = `Usage: deliverybot workflow [--config PATH] [--workflows DIR] [--schedule CRON] [--action-ref SHA]

Prints the workflow that runs Deliverybot for a deploy.yml, to save as
.github/workflows/deliverybot.yml. It starts a job only on the events after which a target can
deploy: pushes of the refs that targets deploy, pull requests if a target deploys them or has
transient environments, the end of the workflows whose jobs make required checks, statuses and
check runs from outside Actions, pull request commands and manual deploys.

Options:
  --config PATH       The deploy.yml (default: .github/deploy.yml).
  --workflows DIR     The repository's workflows, to find which of them make the required
                      checks (default: .github/workflows).
  --schedule CRON     Also evaluate every automatic target on a schedule, like '*/30 * * * *'.
  --action-ref SHA    The commit of the Deliverybot release to run (40 hex digits). Default: the
                      release this package is${RELEASE.sha ? ` (${RELEASE.sha}, ${RELEASE.version})` : ' (none: a package built from a checkout)'}.
  --action-version V  The version the commit is, written beside it (default: ${RELEASE.version}).
`;

function workflowCommand(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(WORKFLOW_HELP);
    return 0;
  }
  const options = { config: { type: 'string' }, workflows: { type: 'string' }, schedule: { type: 'string' }, 'action-ref': { type: 'string' }, 'action-version': { type: 'string' } };
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`deliverybot workflow: ${err.message}\n\n${WORKFLOW_HELP}`);
    return 2;
  }
  const sha = values['action-ref'] ?? RELEASE.sha;
  if (!sha) {
    process.stderr.write('deliverybot workflow: this package was not built by a release, so it knows no Deliverybot commit to pin: give one with --action-ref SHA\n');
    return 2;
  }
  const path = values.config ?? '.github/deploy.yml';
  const config = readConfig('workflow', path);
  if (typeof config === 'number') return config;
  const files = readWorkflows('workflow', values.workflows ?? WORKFLOWS, { required: values.workflows !== undefined });
  if (typeof files === 'number') return files;
  const action = { sha, version: values['action-version'] ?? RELEASE.version };
  const answer = workflow({ config, workflows: files, options: { config_path: path, schedule: values.schedule ?? null, action } });
  if (answer.problems.length > 0) return report(path, answer.problems);
  for (const { path: file, line, column, message } of answer.unreadable) {
    process.stderr.write(`${located(file, line, column)}: warning: not read: ${message}\n`);
  }
  if (answer.workflow === null) {
    process.stderr.write(`deliverybot workflow: ${answer.error}\n`);
    return 2;
  }
  process.stdout.write(answer.workflow);
  // What the generated workflow cannot re-evaluate without a schedule (`--schedule` adds one).
  for (const { line, column, message } of answer.notes) process.stderr.write(`${located(path, line, column)}: warning: ${message}\n`);
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
