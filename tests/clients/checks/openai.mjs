// The OpenAI Node SDK (`openai`), unmodified, against the gateway's OpenRouter base URL.
import { assert, env, expectError, extras, run, scripted } from './harness.mjs';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

await run(async () => (await import('openai')).default, {
  async chat_create(OpenAI) {
    const client = connect(OpenAI);
    const completion = await client.chat.completions.create({
      model: env.model,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: scripted('Hi', { content: 'Hello from the simulator' }) },
      ],
      ...extras(),
    });
    assert.match(completion.id, /^gen-/);
    assert.equal(completion.model, env.model);
    assert.equal(completion.choices[0].message.content, 'Hello from the simulator');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.ok(completion.usage.prompt_tokens > 0, 'usage.prompt_tokens');
    assert.equal(completion.usage.completion_tokens, 4);
    return `${completion.provider ?? '?'}: ${completion.choices[0].message.content}`;
  },

  async chat_stream(OpenAI) {
    const client = connect(OpenAI);
    const stream = await client.chat.completions.create({
      model: env.model,
      messages: [{ role: 'user', content: scripted('Hi', { content: 'streamed word by word' }) }],
      stream: true,
      stream_options: { include_usage: true },
      ...extras(),
    });
    let text = '';
    let deltas = 0;
    let finish = null;
    let usage = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        if (choice.delta?.content) {
          text += choice.delta.content;
          deltas++;
        }
        finish ??= choice.finish_reason ?? null;
      }
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, 'streamed word by word');
    assert.ok(deltas > 1, `expected several deltas, got ${deltas}`);
    assert.equal(finish, 'stop');
    assert.ok(usage, 'the final chunk carries usage');
    assert.equal(usage.completion_tokens, 4);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    return `${deltas} deltas, usage ${JSON.stringify(usage)}`;
  },

  async chat_stream_helper(OpenAI) {
    // The SDK's own stream accumulator, which rebuilds a ChatCompletion from the chunks.
    const client = connect(OpenAI);
    const runner = client.chat.completions.stream({
      model: env.model,
      messages: [{ role: 'user', content: scripted('Hi', { content: 'assembled by the helper' }) }],
      stream_options: { include_usage: true },
      ...extras(),
    });
    let events = 0;
    runner.on('content', () => events++);
    const completion = await runner.finalChatCompletion();
    assert.equal(completion.choices[0].message.content, 'assembled by the helper');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.ok(events > 1, `expected several content events, got ${events}`);
    assert.ok(completion.usage?.completion_tokens > 0, 'usage');
    return `${events} content events`;
  },

  async tool_round_trip(OpenAI) {
    const client = connect(OpenAI);
    const messages = [{
      role: 'user',
      content: scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }),
    }];
    const first = await client.chat.completions.create({ model: env.model, messages, tools: [weatherTool], ...extras() });
    const choice = first.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls?.length, 1, 'one tool call');
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Lyon' });
    assert.ok(call.id, 'the tool call has an id');

    messages.push(choice.message);
    messages.push({ role: 'tool', tool_call_id: call.id, content: `{"temp_c":12} <simulator>${JSON.stringify({ content: 'It is 12C in Lyon.' })}</simulator>` });
    const second = await client.chat.completions.create({ model: env.model, messages, tools: [weatherTool], ...extras() });
    assert.equal(second.choices[0].message.content, 'It is 12C in Lyon.');
    assert.equal(second.choices[0].finish_reason, 'stop');
    return `call ${call.id}`;
  },

  async max_tokens_length(OpenAI) {
    const client = connect(OpenAI);
    const completion = await client.chat.completions.create({
      model: env.model,
      messages: [{ role: 'user', content: scripted('Count', { content: 'one two three four five six seven eight' }) }],
      max_tokens: 3,
      ...extras(),
    });
    assert.equal(completion.choices[0].finish_reason, 'length');
    assert.equal(completion.choices[0].message.content, 'one two three ');
    assert.equal(completion.usage.completion_tokens, 3);
    return completion.choices[0].message.content;
  },

  async completions_create(OpenAI) {
    // The legacy text completions API, which the gateway serves through chat.
    const client = connect(OpenAI);
    const completion = await client.completions.create({
      model: env.model,
      prompt: scripted('Once upon a time', { content: 'there was a gateway' }),
      max_tokens: 64,
      ...extras(),
    });
    assert.match(completion.id, /^gen-/);
    assert.equal(completion.object, 'text_completion');
    assert.equal(completion.choices[0].text, 'there was a gateway');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.usage.completion_tokens, 4);

    const stream = await client.completions.create({
      model: env.model,
      prompt: scripted('Once upon a time', { content: 'streamed word by word' }),
      stream: true,
      stream_options: { include_usage: true },
      ...extras(),
    });
    let text = '';
    let usage = null;
    let finish = null;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'text_completion');
      for (const choice of chunk.choices) {
        text += choice.text;
        finish = choice.finish_reason ?? finish;
      }
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, 'streamed word by word');
    assert.equal(finish, 'stop');
    assert.equal(usage?.completion_tokens, 4);
    return `${completion.choices[0].text} / ${text}`;
  },

  async completions_unsupported_field(OpenAI) {
    const client = connect(OpenAI);
    return expectError(
      client.completions.create({ model: env.model, prompt: 'Hi', echo: true, ...extras() }),
      [OpenAI.BadRequestError],
      [400]);
  },

  async error_wrong_key(OpenAI) {
    const client = connect(OpenAI, 'sk-sb-v1-wrong');
    return expectError(
      client.chat.completions.create({ model: env.model, messages: [{ role: 'user', content: 'Hi' }], ...extras() }),
      [OpenAI.AuthenticationError],
      [401]);
  },

  async error_invalid_model(OpenAI) {
    const client = connect(OpenAI);
    return expectError(
      client.chat.completions.create({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'Hi' }], ...extras() }),
      [OpenAI.BadRequestError, OpenAI.NotFoundError],
      [400, 404]);
  },
});

function connect(OpenAI, key = env.key) {
  // No retries: a retried 5xx would hide exactly what this suite is here to see.
  return new OpenAI({ baseURL: `${env.base}/api/v1`, apiKey: key, maxRetries: 0, timeout: 30000 });
}
