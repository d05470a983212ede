// Vercel's AI SDK (`ai`) with OpenRouter's provider (`@openrouter/ai-sdk-provider`), unmodified, against the
// gateway's OpenRouter base URL. The provider pin rides in the provider's extraBody, which every request carries.
import { assert, env, extras, run, scripted } from './harness.mjs';

const load = async () => ({
  ai: await import('ai'),
  createOpenRouter: (await import('@openrouter/ai-sdk-provider')).createOpenRouter,
  z: (await import('zod')).z,
});

await run(load, {
  async generate_text({ ai, createOpenRouter }) {
    const result = await ai.generateText({
      model: connect(createOpenRouter)(env.model),
      prompt: scripted('Hi', { content: 'Hello from the simulator' }),
      maxRetries: 0,
    });
    assert.equal(result.text, 'Hello from the simulator');
    assert.equal(result.finishReason, 'stop');
    assert.match(result.response.id, /^gen-/);
    assert.equal(result.response.modelId, env.model);
    return `${result.response.id}: ${result.text}`;
  },

  async stream_text({ ai, createOpenRouter }) {
    const result = ai.streamText({
      model: connect(createOpenRouter)(env.model),
      prompt: scripted('Hi', { content: 'streamed word by word' }),
      maxRetries: 0,
    });
    let text = '';
    let parts = 0;
    for await (const delta of result.textStream) {
      text += delta;
      parts++;
    }
    assert.equal(text, 'streamed word by word');
    assert.ok(parts > 1, `expected several text deltas, got ${parts}`);
    assert.equal(await result.finishReason, 'stop');
    const usage = await result.usage;
    assert.equal(usage.outputTokens, 4);
    return `${parts} deltas`;
  },

  async tool_multi_step({ ai, createOpenRouter, z }) {
    const calls = [];
    const result = await ai.generateText({
      model: connect(createOpenRouter)(env.model),
      tools: {
        get_weather: ai.tool({
          description: 'Current weather in a city',
          inputSchema: z.object({ city: z.string() }),
          // The result is the newest text of the next request, so it scripts the final answer.
          execute: async ({ city }) => {
            calls.push(city);
            return `12C in ${city} <simulator>${JSON.stringify({ content: `It is 12C in ${city}.` })}</simulator>`;
          },
        }),
      },
      stopWhen: ai.stepCountIs(3),
      prompt: scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }),
      maxRetries: 0,
    });
    assert.deepEqual(calls, ['Lyon']);
    assert.equal(result.steps.length, 2, 'one step for the call, one for the answer');
    assert.equal(result.steps[0].finishReason, 'tool-calls');
    assert.equal(result.text, 'It is 12C in Lyon.');
    assert.equal(result.finishReason, 'stop');
    return `${result.steps.length} steps: ${result.text}`;
  },

  async generate_object({ ai, createOpenRouter, z }) {
    const result = await ai.generateObject({
      model: connect(createOpenRouter)(env.model),
      schema: z.object({ city: z.string(), temp_c: z.number() }),
      prompt: scripted('Weather in Lyon as JSON', { json: { city: 'Lyon', temp_c: 12 } }),
      maxRetries: 0,
    });
    assert.deepEqual(result.object, { city: 'Lyon', temp_c: 12 });
    return JSON.stringify(result.object);
  },

  async usage_and_cost({ ai, createOpenRouter }) {
    const result = await ai.generateText({
      model: connect(createOpenRouter)(env.model, { usage: { include: true } }),
      prompt: scripted('Count', { tokens: 5 }),
      maxRetries: 0,
    });
    assert.ok(result.usage.inputTokens > 0, `inputTokens ${result.usage.inputTokens}`);
    assert.equal(result.usage.outputTokens, 5);
    assert.equal(result.usage.totalTokens, result.usage.inputTokens + result.usage.outputTokens);
    const usage = result.providerMetadata?.openrouter?.usage;
    assert.ok(usage, `providerMetadata.openrouter.usage: ${JSON.stringify(result.providerMetadata)}`);
    assert.ok(usage.cost > 0, `cost ${usage.cost}`);
    assert.equal(usage.completionTokens, 5);
    return `usage ${JSON.stringify(result.usage)}, cost ${usage.cost}`;
  },

  async completion_model({ createOpenRouter }) {
    // The provider's completion model speaks the legacy POST /completions. It is driven through the model interface
    // (doGenerate, doStream) because `ai` 7 passes toolChoice "auto" on every call, which this provider's completion
    // model refuses before sending anything (UnsupportedFunctionalityError), whatever the server.
    const model = connect(createOpenRouter).completion(env.model);
    const prompt = (text, script) => [{ role: 'user', content: [{ type: 'text', text: scripted(text, script) }] }];
    const generated = await model.doGenerate({ prompt: prompt('Once upon a time', { content: 'there was a gateway' }) });
    assert.deepEqual(generated.content, [{ type: 'text', text: 'there was a gateway' }]);
    assert.equal(generated.finishReason.unified ?? generated.finishReason, 'stop');

    const { stream } = await model.doStream({ prompt: prompt('Once upon a time', { content: 'streamed word by word' }), includeRawChunks: false });
    let text = '';
    let deltas = 0;
    let finish = null;
    for await (const part of stream) {
      if (part.type === 'text-delta') {
        text += part.delta;
        deltas++;
      } else if (part.type === 'finish') {
        finish = part;
      } else if (part.type === 'error') {
        throw part.error instanceof Error ? part.error : new Error(JSON.stringify(part.error));
      }
    }
    assert.equal(text, 'streamed word by word');
    assert.ok(deltas > 1, `expected several text deltas, got ${deltas}`);
    assert.equal(finish?.finishReason.unified ?? finish?.finishReason, 'stop');
    return `${deltas} deltas; usage ${JSON.stringify(finish?.usage)}`;
  },
});

function connect(createOpenRouter) {
  return createOpenRouter({ baseURL: `${env.base}/api/v1`, apiKey: env.key, extraBody: extras() });
}
