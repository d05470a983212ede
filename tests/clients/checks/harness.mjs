// Runs named checks and prints one JSON line per check: {"check","ok","detail"}. The .NET suite decides what a
// failure means, so the process exits 0 whatever happens; a crash still ends as a failing line, never as silence.
//
// Environment, set by tests/Switchboard.Tests/Clients/ClientConformanceTests.cs or by hand (see ../README.md):
//   SWITCHBOARD_BASE_URL  the gateway's root, e.g. http://127.0.0.1:8088 (no /api/v1)
//   SWITCHBOARD_KEY       an inference key
//   SWITCHBOARD_MODEL     the model every check asks for
//   SWITCHBOARD_PROVIDER  optional: sent as provider.only, to pin the upstream (and so its protocol)
//   SWITCHBOARD_EMBEDDING_MODEL  optional: the model embeddings checks ask for (default: SWITCHBOARD_MODEL)
//   SWITCHBOARD_CHECKS    optional: comma-separated check names to run (default: all)
//   SWITCHBOARD_CHECK_TIMEOUT_MS  optional: per-check timeout (default 60000)

import assert from 'node:assert/strict';

export { assert };

export const env = {
  base: (process.env.SWITCHBOARD_BASE_URL ?? 'http://127.0.0.1:8088').replace(/\/+$/, ''),
  key: process.env.SWITCHBOARD_KEY ?? '',
  model: process.env.SWITCHBOARD_MODEL ?? 'test/tri',
  provider: process.env.SWITCHBOARD_PROVIDER || null,
};

/** The model embeddings checks ask for: SWITCHBOARD_EMBEDDING_MODEL, or the run's model (an embeddings row's). */
env.embeddingModel = process.env.SWITCHBOARD_EMBEDDING_MODEL || env.model;

/** OpenRouter's extras for the request body: the provider pin, when one is set. */
export const extras = () => (env.provider ? { provider: { only: [env.provider] } } : {});

/** A prompt that scripts the simulator; the script rides in the text so it survives protocol translation. */
export const scripted = (text, script) => `${text} [${Math.random().toString(36).slice(2)}] <simulator>${JSON.stringify(script)}</simulator>`;

let current = '(script)';

function report(check, ok, detail) {
  process.stdout.write(JSON.stringify({ check, ok, detail: String(detail ?? '').slice(0, 4000) }) + '\n');
}

function describe(error) {
  if (error instanceof Error) {
    const status = error.status !== undefined ? ` (status ${error.status})` : '';
    // Speakeasy SDKs (OpenRouter's) explain a schema mismatch only in pretty(): which fields, and why.
    const message = typeof error.pretty === 'function' ? error.pretty() : error.message;
    return `${error.constructor?.name ?? 'Error'}${status}: ${message}`;
  }
  return String(error);
}

// A rejection or exception no check awaited is blamed on the check that was running.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => report(current, false, `${event}: ${describe(error)}`));
}

/**
 * Runs each check in order. `load` imports the client (inside the harness, so a broken install is reported as a
 * failing line per check); `checks` maps a name to an async function of the loaded client that throws on failure
 * and may return a detail string.
 */
export async function run(load, checks) {
  const only = process.env.SWITCHBOARD_CHECKS?.split(',').map((c) => c.trim()).filter(Boolean);
  const timeoutMs = Number(process.env.SWITCHBOARD_CHECK_TIMEOUT_MS ?? 60000);
  const selected = Object.entries(checks).filter(([name]) => !only || only.includes(name));
  // Every check the script has, selected or not, so the .NET suite can tell a check it does not list from one it
  // did not ask for; and a failing line for each asked-for check the script does not have.
  process.stdout.write(JSON.stringify({ script_checks: Object.keys(checks) }) + '\n');
  for (const name of only ?? []) {
    if (!(name in checks)) {
      report(name, false, 'the script has no such check');
    }
  }
  let client;
  try {
    client = await load();
  } catch (error) {
    for (const [name] of selected) {
      report(name, false, `loading the client failed: ${describe(error)}`);
    }
    process.exitCode = 0;
    return;
  }
  for (const [name, check] of selected) {
    current = name;
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      const detail = await Promise.race([check(client), timeout]);
      report(name, true, detail);
    } catch (error) {
      report(name, false, describe(error));
    } finally {
      clearTimeout(timer);
    }
  }
  current = '(script)';
  process.exitCode = 0;
}

/** Asserts that `promise` rejects with one of `classes` (the SDK's typed errors) and returns a detail. */
export async function expectError(promise, classes, statuses) {
  try {
    await promise;
  } catch (error) {
    const names = classes.map((c) => c.name);
    assert.ok(classes.some((c) => error instanceof c), `expected ${names.join(' or ')}, got ${describe(error)}`);
    assert.ok(statuses.includes(error.status), `expected status ${statuses.join(' or ')}, got ${error.status}`);
    return `${error.constructor.name} ${error.status}: ${error.message}`;
  }
  assert.fail(`expected ${classes.map((c) => c.name).join(' or ')}, but the call succeeded`);
}
