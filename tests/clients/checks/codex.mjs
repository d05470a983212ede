// Codex CLI (`@openai/codex`), the package's own `codex` binary (Rust), unmodified, in `codex exec` mode with a
// custom model provider on the gateway's Responses API. Each check gets a fresh CODEX_HOME (its config.toml written
// there) and working directory, no approvals and no sandbox.
//
// What Codex sends (see ../fixtures/codex-*request*.json and ../README.md): POST {base_url}/responses, streamed,
// with its instructions as developer messages, its tools (exec_command {cmd}, …) and the prompt as the last user
// message, so a <simulator> script in the prompt scripts the answer; after a tool call the function_call_output
// (for exec_command, the command's output after a short header) is the newest text, so a script inside the output
// of `cat notes.txt` scripts the next answer.
//
// Codex has no setting for extra body fields, so the provider pin goes in through a small forwarding proxy in this
// script, which also records the requests so the checks can assert what Codex sent.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, env, extras, run } from './harness.mjs';

const codex = fileURLToPath(new URL('../node_modules/.bin/codex', import.meta.url));
const script = (value) => `<simulator>${JSON.stringify(value)}</simulator>`;

await run(async () => {
  if (!existsSync(codex)) {
    throw new Error(`${codex} is missing: run npm ci in tests/clients`);
  }
  const { stdout } = await exec([codex, '--version'], { env: { PATH: process.env.PATH }, timeout: 30000 });
  return stdout.trim();
}, {
  async plain_prompt(version) {
    const { events, requests } = await ask(`Say hello. ${script({ content: 'Hello from the simulator' })}`);
    assertTurnCompleted(events);
    assert.deepEqual(messages(events), ['Hello from the simulator']);
    assert.equal(requests.length, 1, 'one request');
    assert.equal(requests[0].url, '/api/v1/responses');
    assert.equal(requests[0].body.stream, true);
    const usage = events.find((e) => e.type === 'turn.completed').usage;
    assert.equal(usage.output_tokens, 4);
    assert.ok(usage.input_tokens > 0, 'usage.input_tokens');
    return `${version}: ${messages(events)[0]} (usage ${JSON.stringify(usage)})`;
  },

  async shell_tool(version) {
    const call = { tool_calls: [{ name: 'exec_command', arguments: { cmd: 'cat notes.txt' } }] };
    const { events, requests } = await ask(
      `Read notes.txt and tell me the secret. ${script(call)}`,
      { 'notes.txt': `The secret is 42.\n${script({ content: 'The file says the secret is 42.' })}\n` });
    assertTurnCompleted(events);
    const commands = events.filter((e) => e.type === 'item.completed' && e.item.type === 'command_execution').map((e) => e.item);
    assert.equal(commands.length, 1, `one command ran: ${JSON.stringify(commands)}`);
    assert.match(commands[0].command, /cat notes\.txt/);
    assert.equal(commands[0].exit_code, 0);
    assert.match(commands[0].aggregated_output, /The secret is 42\./);
    assert.deepEqual(messages(events), ['The file says the secret is 42.']);
    assert.equal(requests.length, 2, 'one request for the call, one for the answer');
    const output = requests[1].body.input.find((item) => item.type === 'function_call_output');
    assert.ok(output, 'the second request carries the function_call_output');
    assert.match(JSON.stringify(output.output), /The secret is 42\./);
    return `${version}: ${commands[0].command} → ${messages(events)[0]}`;
  },
});

function messages(events) {
  return events.filter((e) => e.type === 'item.completed' && e.item.type === 'agent_message').map((e) => e.item.text);
}

function assertTurnCompleted(events) {
  const failed = events.find((e) => e.type === 'turn.failed' || e.type === 'error');
  assert.equal(failed, undefined, `codex reported ${JSON.stringify(failed)}`);
  assert.ok(events.some((e) => e.type === 'turn.completed'), `a turn.completed event among ${events.map((e) => e.type).join(', ')}`);
}

/**
 * Runs `codex exec --json <prompt>` in a fresh directory holding `files`, through the pinning proxy; returns its
 * JSONL events and the requests Codex made.
 */
async function ask(prompt, files = {}) {
  const home = await mkdtemp(path.join(tmpdir(), 'switchboard-codex-home-'));
  const work = await mkdtemp(path.join(tmpdir(), 'switchboard-codex-work-'));
  const proxy = await startProxy(env.base);
  try {
    for (const [name, text] of Object.entries(files)) {
      await writeFile(path.join(work, name), text);
    }
    // Retries off: a retried failure would hide exactly what this suite is here to see.
    await writeFile(path.join(home, 'config.toml'), [
      `model = ${JSON.stringify(env.model)}`,
      'model_provider = "switchboard"',
      '',
      '[model_providers.switchboard]',
      'name = "Switchboard"',
      `base_url = ${JSON.stringify(`${proxy.url}/api/v1`)}`,
      'wire_api = "responses"',
      'env_key = "SWITCHBOARD_API_KEY"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'));
    const childEnv = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, TMPDIR: tmpdir(), SWITCHBOARD_API_KEY: env.key };
    const { stdout, stderr, code } = await exec(
      [codex, 'exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-C', work, prompt],
      // Under the harness's 60 s per check, so a hung codex is killed rather than left running past its check.
      { cwd: work, env: childEnv, timeout: 50000 });
    const events = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    if (!events.some((e) => e.type === 'turn.completed' || e.type === 'turn.failed')) {
      throw new Error(`codex exited with ${code} without finishing its turn.\nstdout: ${stdout.slice(0, 1500)}\nstderr: ${stderr.slice(0, 1500)}`);
    }
    return { events, requests: proxy.requests };
  } finally {
    await proxy.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/** A forwarding proxy to the gateway that merges the provider pin into JSON bodies and records each request. */
function startProxy(target) {
  const upstream = new URL(target);
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      let json = null;
      if (body.length > 0 && (req.headers['content-type'] ?? '').includes('json') && !req.headers['content-encoding']) {
        json = { ...JSON.parse(body.toString('utf8')), ...extras() };
        body = Buffer.from(JSON.stringify(json));
      }
      requests.push({ method: req.method, url: req.url, body: json });
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `proxy: ${error.message}` } }));
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      requests,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
    }));
  });
}

/** Runs a process with stdin closed (codex exec reads a prompt from an open stdin) and collects its output. */
function exec([file, ...args], { timeout, ...options }) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) {
        reject(new Error(`${path.basename(file)} was killed (${signal}): ${stderr.slice(0, 1500)}`));
        return;
      }
      resolve({ stdout, stderr, code });
    });
  });
}
