// Types of @deliverybot/core (action/lib.mjs), hand-written; shipped as dist/lib.d.mts (import) and
// dist/lib.d.cts (require). Checked by tests/package.test.mjs with a strict TypeScript consumer. The
// wire types (Step and what it holds, Validation) are defined by the engine's serde derive: the same
// test compiles the golden files tests/fixtures/wire/*.json, which the Rust tests hold the engine
// and the binding to, against these declarations.

/** One problem of a deploy.yml; `line` and `column` (1-based) are null for a problem of the whole file. */
export interface Problem {
  line: number | null;
  column: number | null;
  message: string;
}

export interface Validation {
  /** The target names, in file order (empty when there are problems). */
  targets: string[];
  problems: Problem[];
  /** What a valid config holds that is ignored (keys the original Deliverybot accepted), each at its place. */
  warnings: Problem[];
}

/** Checks a deploy.yml's text without running anything. */
export function validate(text: string): Validation;

/** The JSON Schema (draft 2020-12) of deploy.yml. Also importable as `@deliverybot/core/schema.json`. */
export function schema(): Record<string, unknown>;

export type Level = 'debug' | 'info' | 'notice' | 'warning' | 'error';

export interface LogLine {
  level: Level;
  message: string;
  /** Where in the repository the message points (a config problem). */
  annotation?: { file: string; line: number; column: number };
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A GitHub REST request the engine needs performed, relative to the API root. */
export interface Request {
  type: 'request';
  method: Method;
  /** Parameters filled in and percent-encoded: `/repos/octo/app/deployments`. */
  path: string;
  /** Query parameters, in order. */
  query: [string, string][];
  /** The media type to ask for, when not GitHub's default JSON. */
  accept?: string;
  /** The JSON body to send. */
  body?: unknown;
  /** Whether it may be retried on a transient failure without asking the engine. */
  idempotent: boolean;
  /** Why, in words: "create the staging deployment". */
  purpose: string;
}

/** What was decided for one target the event selected. */
export interface Decision {
  target: string;
  /** Empty when the deployment could not be rendered. */
  environment: string;
  ref: string;
  sha: string;
  decision: 'created' | 'would create' | 'already deployed' | 'superseded' | 'waiting' | 'soaking' | 'blocked' | 'locked' | 'frozen' | 'skipped' | 'not created' | 'failed';
  reason: string;
  deployment_id?: number;
  /** The create request made (or, in a dry run, the one that would have been). */
  request?: { method: Method; path: string; body: unknown };
}

/** The end of a run. */
export interface Outcome {
  type: 'done';
  /** The action's outputs (`deployments`, `skipped`, `waiting`, ... as JSON text), in order. */
  outputs: [string, string][];
  /** One entry per target the event selected (rules mode). */
  decisions?: Decision[];
  /** The job summary, GitHub-flavoured Markdown. */
  summary: string;
  /** What the action's post step needs (`phase: 'post'`'s `state`). */
  state?: [string, string][];
  /** Set when the run failed, with why. */
  failure?: string;
}

/**
 * The rules of an IANA time zone a freeze window uses, asked of the host (the engine carries no tz
 * database): answer `step({ zone })` with the zone's TZif bytes (`/usr/share/zoneinfo/<name>`), or
 * `{ zone: undefined }` when there is no such zone.
 */
export interface ZoneRequest {
  type: 'zone';
  name: string;
}

/** What `step` returns: the log since the last step, then the next request, a zone to supply, or the outcome. */
export interface Step {
  log: LogLine[];
  next: Request | ZoneRequest | Outcome;
}

/**
 * GitHub's answer (header names in lower case, the body as text or as the UTF-8 bytes that came), or
 * `{ error }` when none came; to a `zone` step, `{ zone }`.
 */
export type Reply = { status: number; headers?: Record<string, string>; body?: string | Uint8Array } | { error: string } | { zone: Uint8Array | undefined };

/** The workflow run's context; every field has a default. */
export interface Context {
  /** `owner/name`; default: the payload's `repository.full_name`. */
  repository?: string;
  /** Default: empty. */
  run_id?: string;
  /** Default: https://github.com. */
  server_url?: string;
  /** Default: the payload's `sender.login`. */
  actor?: string;
  /** Who started this run (`GITHUB_TRIGGERING_ACTOR`), which on a re-run may be someone else: a command or a forced dispatch re-run by another person is not acted on. Default: empty: re-runs are then not told apart. */
  triggering_actor?: string;
  /** The job running the engine, a check never waited on; default: empty. */
  job?: string;
  /** The branch the run is on (`GITHUB_REF_NAME`); a schedule's default branch. Default: empty. */
  ref_name?: string;
  /** The time of the run (RFC 3339), which `soak`, `serialize`, freeze windows and stuck deployments are judged at. Default: the clock. */
  now?: string;
}

export interface StartOptions {
  /** `push`, `pull_request`, `status`, `workflow_dispatch`, ... */
  eventName: string;
  /** The webhook payload: an object, its JSON text, or that text's UTF-8 bytes (a `Buffer` as read from a file). */
  payload: object | string | Uint8Array;
  /** The action's inputs by name: `{ 'dry-run': true, config: '.github/deploy.yml' }`. */
  inputs?: Record<string, string | number | boolean | null | undefined>;
  context?: Context;
  phase?: 'main' | 'post';
  /** The `state` a main phase's outcome saved, for the post phase. */
  state?: Record<string, string>;
}

/** The engine for one event. */
export interface Engine {
  /** First `step()`, then `step(reply)` for each request, until `next.type` is `done`. */
  step(reply?: Reply): Step;
  /** Frees the engine's WebAssembly memory (also done when it is garbage-collected). */
  free(): void;
}

/** The low-level API: the engine, for tools that do their own I/O. */
export function start(options: StartOptions): Engine;

/** An executor's answer: the body may be text, a JSON value or bytes; `{ error }` when none came. */
export type ExecutorReply =
  | { status: number; headers?: Record<string, string | number | string[] | undefined>; body?: unknown }
  | { error: string };

/** Performs one request: `path` carries the query string; `request` is the engine's request. Throwing stops the run. */
export type RequestFunction = (method: Method, path: string, body: unknown, request: Request) => ExecutorReply | Promise<ExecutorReply>;

/**
 * What is used of an Octokit (`new Octokit({ auth })`): its `request`. A request that is not
 * idempotent is passed `request: { retries: 0 }`, which turns off @octokit/plugin-retry for it.
 */
export interface OctokitLike {
  request(options: { method: string; url: string; headers: Record<string, string>; data?: unknown; request?: { retries: number } }): Promise<{ status: number; headers: object; data: unknown }>;
}

export interface RunOptions extends StartOptions {
  /** An Octokit instance, or a function performing each request. */
  executor: OctokitLike | RequestFunction;
  /** Called with each log line as it comes. */
  onLog?: (line: LogLine) => void;
  /** A freeze window's time zone as TZif bytes, undefined when unknown. Default: from `$TZDIR` or /usr/share/zoneinfo. */
  zones?: (name: string) => Uint8Array | undefined;
}

export interface RequestRecord {
  method: Method;
  path: string;
  query: [string, string][];
  purpose: string;
  /** GitHub's status, or `error` when no answer came. */
  status?: number;
  error?: string;
}

export interface Result {
  /** The action's outputs by name; `deployments`, `skipped`, `waiting` are JSON text. */
  outputs: Record<string, string>;
  /** One entry per target the event selected, with the create request (made, or that a dry run would make). */
  decisions: Decision[];
  summary: string;
  state: Record<string, string>;
  /** Set when the run failed, with why. */
  failure?: string;
  log: LogLine[];
  /** Every request performed, in order. */
  requests: RequestRecord[];
}

/** The high-level API: runs the engine on an event to its outcome, performing its requests with `executor`. */
export function run(options: RunOptions): Promise<Result>;

/** Another name of `run`. */
export const deliver: typeof run;
