// The OpenAI Agents SDK (`@openai/agents`), unmodified, on its default model (the Responses API) through the OpenAI
// SDK pointed at the gateway, with tracing off (traces would go to api.openai.com). The provider pin rides in
// modelSettings.providerData, which the SDK merges into every request body.
//
// The scripts: the prompt scripts the first answer; in a tool run the SDK sends the tool's result back as a
// function_call_output, the newest text of the next request, so a script inside the result scripts the final answer.
import { assert, env, extras, run, scripted } from './harness.mjs';

/** The path of every request the SDK made, to assert which API it used. */
const paths = [];

const script = (value) => `<simulator>${JSON.stringify(value)}</simulator>`;

await run(async () => {
  const [agents, { default: OpenAI }, { z }] = await Promise.all([import('@openai/agents'), import('openai'), import('zod')]);
  agents.setTracingDisabled(true);
  agents.setOpenAIAPI('responses');
  // No retries: a retried 5xx would hide exactly what this suite is here to see.
  const fetchRecorded = (url, init) => {
    paths.push(new URL(url).pathname);
    return fetch(url, init);
  };
  agents.setDefaultOpenAIClient(new OpenAI({ baseURL: `${env.base}/api/v1`, apiKey: env.key, maxRetries: 0, timeout: 30000, fetch: fetchRecorded }));
  return { ...agents, z };
}, {
  async plain_run({ Agent, run: runAgent }) {
    const agent = makeAgent(Agent, { instructions: 'Be kind.' });
    paths.length = 0;
    const result = await runAgent(agent, scripted('Hi', { content: 'Hello from the simulator' }));
    assert.deepEqual(paths, ['/api/v1/responses'], 'the SDK used the Responses API');
    assert.equal(result.finalOutput, 'Hello from the simulator');
    const usage = result.state.usage;
    assert.ok(usage.inputTokens > 0, 'usage.inputTokens');
    assert.equal(usage.outputTokens, 4);
    assert.equal(usage.requests, 1);
    return `${result.finalOutput} (usage ${JSON.stringify({ input: usage.inputTokens, output: usage.outputTokens })})`;
  },

  async streamed_run({ Agent, run: runAgent }) {
    const agent = makeAgent(Agent, { instructions: 'Be kind.' });
    const result = await runAgent(agent, scripted('Hi', { content: 'streamed word by word' }), { stream: true });
    let text = '';
    let deltas = 0;
    const kinds = new Set();
    for await (const event of result) {
      kinds.add(event.type === 'raw_model_stream_event' ? `raw:${event.data.type}` : event.type);
      if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') {
        text += event.data.delta;
        deltas++;
      }
    }
    await result.completed;
    assert.equal(result.error ?? null, null, `the stream ended with ${result.error}`);
    assert.equal(text, 'streamed word by word');
    assert.ok(deltas > 1, `expected several deltas, got ${deltas}`);
    assert.ok(kinds.has('raw:response_done'), `a response_done event among ${[...kinds].join(', ')}`);
    assert.equal(result.finalOutput, 'streamed word by word');
    assert.equal(result.state.usage.outputTokens, 4);
    return `${deltas} deltas; events ${[...kinds].join(', ')}`;
  },

  async function_tool({ Agent, run: runAgent, tool, z }) {
    const calls = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: z.object({ city: z.string() }),
      async execute({ city }) {
        calls.push(city);
        return `{"temp_c":12} ${script({ content: `It is 12C in ${city}.` })}`;
      },
    });
    const agent = makeAgent(Agent, { instructions: 'Use the tool.', tools: [getWeather] });
    paths.length = 0;
    const result = await runAgent(agent, scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }));
    assert.deepEqual(calls, ['Lyon'], 'the SDK ran the tool once with the model\'s arguments');
    assert.equal(result.finalOutput, 'It is 12C in Lyon.');
    const items = result.newItems.map((item) => item.type);
    assert.deepEqual(items, ['tool_call_item', 'tool_call_output_item', 'message_output_item']);
    assert.equal(result.state.usage.requests, 2, 'one request for the call, one for the answer');
    assert.deepEqual(paths, ['/api/v1/responses', '/api/v1/responses']);
    return `${items.join(' → ')}: ${result.finalOutput}`;
  },
});

function makeAgent(Agent, options) {
  return new Agent({ name: 'Switchboard check', model: env.model, modelSettings: { providerData: extras() }, ...options });
}
