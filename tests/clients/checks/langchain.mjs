// LangChain's OpenAI integration (`@langchain/openai` on `@langchain/core`), unmodified, against the gateway's
// OpenRouter base URL. The provider pin rides in modelKwargs, which LangChain merges into every request body.
import { assert, env, extras, run, scripted } from './harness.mjs';

const load = async () => ({
  openai: await import('@langchain/openai'),
  messages: await import('@langchain/core/messages'),
  tools: await import('@langchain/core/tools'),
  z: (await import('zod')).z,
});

await run(load, {
  async invoke({ openai, messages }) {
    const reply = await chat(openai).invoke([
      new messages.SystemMessage('Be kind.'),
      new messages.HumanMessage(scripted('Hi', { content: 'Hello from the simulator' })),
    ]);
    assert.equal(reply.content, 'Hello from the simulator');
    assert.equal(reply.response_metadata.finish_reason, 'stop');
    assert.match(reply.id, /^gen-/);
    assert.equal(reply.usage_metadata.output_tokens, 4);
    assert.ok(reply.usage_metadata.input_tokens > 0, 'input tokens');
    return `${reply.id}: ${reply.content}`;
  },

  async stream({ openai, messages }) {
    let text = '';
    let chunks = 0;
    let usage = null;
    for await (const chunk of await chat(openai).stream([new messages.HumanMessage(scripted('Hi', { content: 'streamed word by word' }))])) {
      if (chunk.content) {
        text += chunk.content;
        chunks++;
      }
      usage = chunk.usage_metadata ?? usage;
    }
    assert.equal(text, 'streamed word by word');
    assert.ok(chunks > 1, `expected several chunks, got ${chunks}`);
    assert.equal(usage?.output_tokens, 4, `usage ${JSON.stringify(usage)}`);
    return `${chunks} chunks`;
  },

  async tool_round_trip({ openai, messages, tools, z }) {
    const getWeather = tools.tool(async ({ city }) => `12C in ${city}`, {
      name: 'get_weather',
      description: 'Current weather in a city',
      schema: z.object({ city: z.string() }),
    });
    const model = chat(openai).bindTools([getWeather]);
    const history = [new messages.HumanMessage(scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }))];
    const first = await model.invoke(history);
    assert.equal(first.tool_calls?.length, 1, `one tool call: ${JSON.stringify(first.tool_calls)}`);
    const call = first.tool_calls[0];
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.args, { city: 'Lyon' });
    assert.ok(call.id, 'the tool call has an id');

    const result = await getWeather.invoke(call.args);
    history.push(first, new messages.ToolMessage({
      tool_call_id: call.id,
      // The tool's answer is the newest text of the next request, so it scripts the final answer.
      content: `${result} <simulator>${JSON.stringify({ content: 'It is 12C in Lyon.' })}</simulator>`,
    }));
    const second = await model.invoke(history);
    assert.equal(second.content, 'It is 12C in Lyon.');
    assert.equal(second.tool_calls?.length ?? 0, 0);
    return `call ${call.id}`;
  },

  async structured_output({ openai, messages, z }) {
    const model = chat(openai).withStructuredOutput(z.object({ city: z.string(), temp_c: z.number() }), { name: 'weather' });
    const weather = await model.invoke([new messages.HumanMessage(scripted('Weather in Lyon as JSON', { json: { city: 'Lyon', temp_c: 12 } }))]);
    assert.deepEqual(weather, { city: 'Lyon', temp_c: 12 });
    return JSON.stringify(weather);
  },

  async legacy_completion({ openai }) {
    // LangChain's text LLM speaks the legacy POST /completions.
    const llm = new openai.OpenAI({
      model: env.model,
      apiKey: env.key,
      configuration: { baseURL: `${env.base}/api/v1` },
      modelKwargs: extras(),
      maxRetries: 0,
      timeout: 30000,
    });
    const text = await llm.invoke(scripted('Once upon a time', { content: 'there was a gateway' }));
    assert.equal(text, 'there was a gateway');
    return text;
  },
});

function chat(openai) {
  // No retries: a retried 5xx would hide exactly what this suite is here to see.
  return new openai.ChatOpenAI({
    model: env.model,
    apiKey: env.key,
    configuration: { baseURL: `${env.base}/api/v1` },
    modelKwargs: extras(),
    maxRetries: 0,
    timeout: 30000,
  });
}
