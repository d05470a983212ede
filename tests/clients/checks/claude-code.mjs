// Claude Code (`@anthropic-ai/claude-code`), the package's own `claude` binary, unmodified, in print mode against
// the gateway's Messages ingress. Each check gets a fresh HOME and working directory.
//
// What Claude Code sends (see ../fixtures/claude-code-request*.json): POST {base}/v1/messages?beta=true, streamed,
// with its system prompt, its built-in tools and the prompt as the last text block of the first user message, so a
// <simulator> script in the prompt scripts the answer; in the turn after a tool call the tool_result (the file's
// text, for Read) is the newest string, so a script inside the file scripts the next answer.
// CLAUDE_CODE_EXTRA_BODY merges fields into every request body: that is how the provider pin reaches the gateway.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, env, extras, run } from './harness.mjs';

const claude = fileURLToPath(new URL('../node_modules/.bin/claude', import.meta.url));
const script = (value) => `<simulator>${JSON.stringify(value)}</simulator>`;

await run(async () => {
  if (!existsSync(claude)) {
    throw new Error(`${claude} is missing: run npm ci in tests/clients`);
  }
  const { stdout } = await exec([claude, '--version'], { env: { PATH: process.env.PATH }, timeout: 30000 });
  return stdout.trim();
}, {
  async plain_prompt(version) {
    const result = await ask(`Say hello. ${script({ content: 'Hello from the simulator' })}`);
    assertAnswered(result);
    assert.equal(result.subtype, 'success');
    assert.equal(result.result, 'Hello from the simulator');
    assert.equal(result.num_turns, 1);
    return `${version}: ${result.result} (${result.duration_ms} ms)`;
  },

  async tool_read(version) {
    const result = await ask(
      (directory) => `Read notes.txt and tell me the secret. ${script({ tool_calls: [{ name: 'Read', arguments: { file_path: path.join(directory, 'notes.txt') } }] })}`,
      { 'notes.txt': `The secret is 42.\n${script({ content: 'The file says the secret is 42.' })}\n` });
    assertAnswered(result);
    assert.equal(result.subtype, 'success');
    assert.equal(result.result, 'The file says the secret is 42.');
    assert.equal(result.num_turns, 2, 'one turn for the Read call, one for the answer');
    return `${version}: ${result.result} (${result.num_turns} turns)`;
  },
});

function assertAnswered(result) {
  assert.equal(result.is_error, false, `claude ended with an error (API status ${result.api_error_status}): ${result.result}`);
}

/** Runs `claude -p <prompt> --output-format json` in a fresh directory holding `files`; returns the parsed result. */
async function ask(prompt, files = {}) {
  const home = await mkdtemp(path.join(tmpdir(), 'switchboard-claude-home-'));
  const work = await mkdtemp(path.join(tmpdir(), 'switchboard-claude-work-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await writeFile(path.join(work, name), text);
    }
    const text = typeof prompt === 'function' ? prompt(work) : prompt;
    const extraBody = extras();
    const childEnv = {
      PATH: process.env.PATH,
      HOME: home,
      TMPDIR: tmpdir(),
      ANTHROPIC_BASE_URL: `${env.base}/api`,
      ANTHROPIC_AUTH_TOKEN: env.key,
      ANTHROPIC_MODEL: env.model,
      ANTHROPIC_SMALL_FAST_MODEL: env.model,
      // Claude Code asks for 32,000 output tokens; the test model's Claude and Gemini endpoints allow 8,192, and the
      // gateway routes only to endpoints that allow what was asked. Users of such models set the same.
      CLAUDE_CODE_MAX_OUTPUT_TOKENS: '8192',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      ...(Object.keys(extraBody).length > 0 ? { CLAUDE_CODE_EXTRA_BODY: JSON.stringify(extraBody) } : {}),
    };
    // --max-turns bounds a conversation that would otherwise loop on a tool call until the timeout.
    const { stdout, stderr } = await exec([claude, '-p', text, '--output-format', 'json', '--max-turns', '4'], { cwd: work, env: childEnv, timeout: 90000 });
    try {
      return JSON.parse(stdout);
    } catch {
      throw new Error(`claude printed no JSON result.\nstdout: ${stdout.slice(0, 1500)}\nstderr: ${stderr.slice(0, 1500)}`);
    }
  } finally {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

function exec([file, ...args], options) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      // A failed claude run still prints its JSON result (is_error: true) on stdout: let the caller read it.
      if (error && !stdout) {
        reject(new Error(`${path.basename(file)} ${error.killed ? 'was killed (timeout)' : `failed (${error.code})`}: ${stderr.slice(0, 1500) || error.message}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}
