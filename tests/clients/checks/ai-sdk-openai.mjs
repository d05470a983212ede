// The Vercel AI SDK (`ai`) with its OpenAI provider (`@ai-sdk/openai`), unmodified, against the gateway's base URL.
// `provider(model)` speaks the Responses API (the provider's default); `provider.chat(model)` chat completions.
// The provider has no setting for extra body fields, so the provider pin goes in through its `fetch` option, as a
// user who wants OpenRouter's routing fields would do it.
//
// In a tool run the SDK sends the tool's result back (a function_call_output, or a role "tool" message), the newest
// text of the next request, so a script inside the result scripts the final answer.
import { assert, env, extras, run, scripted } from './harness.mjs';

const script = (value) => `<simulator>${JSON.stringify(value)}</simulator>`;

/** The path each API's model posts to; every request is recorded, to assert which API a model used. */
const endpoints = { responses: '/api/v1/responses', chat: '/api/v1/chat/completions' };
const paths = [];

await run(async () => {
  const [ai, { createOpenAI }, { z }] = await Promise.all([import('ai'), import('@ai-sdk/openai'), import('zod')]);
  const provider = createOpenAI({ baseURL: `${env.base}/api/v1`, apiKey: env.key, fetch: pinned });
  return { ai, z, models: { responses: provider(env.model), chat: provider.chat(env.model) } };
}, {
  responses_generate: (client) => generate(client, 'responses'),
  responses_stream: (client) => stream(client, 'responses'),
  responses_tool_steps: (client) => toolSteps(client, 'responses'),
  chat_generate: (client) => generate(client, 'chat'),
  chat_stream: (client) => stream(client, 'chat'),
  chat_tool_steps: (client) => toolSteps(client, 'chat'),
});

async function generate({ ai, models }, api) {
  paths.length = 0;
  const result = await ai.generateText({
    model: models[api],
    maxRetries: 0,
    system: 'Be kind.',
    prompt: scripted('Hi', { content: 'Hello from the simulator' }),
  });
  assert.deepEqual(paths, [endpoints[api]]);
  assert.equal(result.text, 'Hello from the simulator');
  assert.equal(result.finishReason, 'stop');
  assert.ok(result.usage.inputTokens > 0, 'usage.inputTokens');
  assert.equal(result.usage.outputTokens, 4);
  return `${result.text} (${result.response.id}, usage ${result.usage.inputTokens}/${result.usage.outputTokens})`;
}

async function stream({ ai, models }, api) {
  const errors = [];
  paths.length = 0;
  const result = ai.streamText({
    model: models[api],
    maxRetries: 0,
    prompt: scripted('Hi', { content: 'streamed word by word' }),
    onError: ({ error }) => errors.push(error),
  });
  const parts = [];
  for await (const part of result.textStream) {
    parts.push(part);
  }
  assert.deepEqual(errors, [], 'the stream reported no error');
  assert.deepEqual(paths, [endpoints[api]]);
  assert.equal(parts.join(''), 'streamed word by word');
  assert.ok(parts.length > 1, `expected several text parts, got ${parts.length}`);
  assert.equal(await result.finishReason, 'stop');
  const usage = await result.usage;
  assert.ok(usage.inputTokens > 0, 'usage.inputTokens');
  assert.equal(usage.outputTokens, 4);
  return `${parts.length} parts, usage ${usage.inputTokens}/${usage.outputTokens}`;
}

async function toolSteps({ ai, z, models }, api) {
  const calls = [];
  paths.length = 0;
  const result = await ai.generateText({
    model: models[api],
    maxRetries: 0,
    tools: {
      get_weather: ai.tool({
        description: 'Current weather in a city',
        inputSchema: z.object({ city: z.string() }),
        async execute({ city }) {
          calls.push(city);
          return `{"temp_c":12} ${script({ content: `It is 12C in ${city}.` })}`;
        },
      }),
    },
    stopWhen: ai.isStepCount(2),
    prompt: scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }),
  });
  assert.deepEqual(calls, ['Lyon'], 'the SDK ran the tool once with the model\'s arguments');
  assert.equal(result.steps.length, 2, 'one step for the call, one for the answer');
  assert.deepEqual(paths, [endpoints[api], endpoints[api]]);
  assert.equal(result.steps[0].finishReason, 'tool-calls');
  assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Lyon' }]]);
  assert.equal(result.text, 'It is 12C in Lyon.');
  assert.equal(result.finishReason, 'stop');
  const perStep = result.steps.map((step) => step.usage.outputTokens);
  assert.equal(perStep[1], 5, 'the answer\'s five tokens');
  assert.ok(perStep[0] > 0, 'the call\'s tokens');
  assert.equal(result.totalUsage.outputTokens, perStep[0] + perStep[1], 'totalUsage adds both steps');
  return `${result.steps.length} steps: ${result.text} (output tokens per step ${perStep.join(', ')})`;
}

/** fetch with the provider pin merged into every JSON body, recording each request's path. */
function pinned(url, init = {}) {
  paths.push(new URL(url).pathname);
  const pin = extras();
  if (Object.keys(pin).length > 0 && typeof init.body === 'string') {
    init = { ...init, body: JSON.stringify({ ...JSON.parse(init.body), ...pin }) };
  }
  return fetch(url, init);
}
