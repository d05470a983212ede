// The Anthropic TypeScript SDK (`@anthropic-ai/sdk`), unmodified, against the gateway's Messages ingress. The SDK
// appends /v1/messages to its base URL, so the base is `${gateway}/api`. OpenRouter's extras (provider) ride in the
// body next to Anthropic's fields, as a caller of the gateway would send them.
import { assert, env, expectError, extras, run, scripted } from './harness.mjs';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

await run(async () => (await import('@anthropic-ai/sdk')).default, {
  async create_api_key(Anthropic) {
    return plainMessage(connect(Anthropic, { apiKey: env.key }));
  },

  async create_auth_token(Anthropic) {
    // Authorization: Bearer, as Claude Code and ANTHROPIC_AUTH_TOKEN users send the key.
    return plainMessage(connect(Anthropic, { authToken: env.key }));
  },

  async stream(Anthropic) {
    const client = connect(Anthropic, { apiKey: env.key });
    const stream = client.messages.stream({
      model: env.model,
      max_tokens: 256,
      messages: [{ role: 'user', content: scripted('Hi', { content: 'streamed word by word' }) }],
      ...extras(),
    });
    let text = '';
    let events = 0;
    stream.on('text', (delta) => {
      text += delta;
      events++;
    });
    const message = await stream.finalMessage();
    assert.equal(text, 'streamed word by word');
    assert.ok(events > 1, `expected several text events, got ${events}`);
    assert.equal(message.role, 'assistant');
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].type, 'text');
    assert.equal(message.content[0].text, 'streamed word by word');
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.usage.input_tokens > 0, 'usage.input_tokens');
    assert.equal(message.usage.output_tokens, 4);
    return `${events} text events, usage ${JSON.stringify(message.usage)}`;
  },

  async tool_round_trip(Anthropic) {
    const client = connect(Anthropic, { apiKey: env.key });
    const messages = [{
      role: 'user',
      content: scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }),
    }];
    const first = await client.messages.create({ model: env.model, max_tokens: 256, messages, tools: [weatherTool], ...extras() });
    assert.equal(first.stop_reason, 'tool_use');
    const uses = first.content.filter((block) => block.type === 'tool_use');
    assert.equal(uses.length, 1, `one tool_use block in ${JSON.stringify(first.content)}`);
    const [use] = uses;
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, { city: 'Lyon' });
    assert.ok(use.id, 'the tool_use block has an id');

    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: [{
        type: 'tool_result',
        tool_use_id: use.id,
        content: `{"temp_c":12} <simulator>${JSON.stringify({ content: 'It is 12C in Lyon.' })}</simulator>`,
      }],
    });
    const second = await client.messages.create({ model: env.model, max_tokens: 256, messages, tools: [weatherTool], ...extras() });
    assert.equal(second.stop_reason, 'end_turn');
    assert.equal(textOf(second), 'It is 12C in Lyon.');
    return `tool_use ${use.id}`;
  },

  async max_tokens_stop(Anthropic) {
    const client = connect(Anthropic, { apiKey: env.key });
    const message = await client.messages.create({
      model: env.model,
      max_tokens: 3,
      messages: [{ role: 'user', content: scripted('Count', { content: 'one two three four five six seven eight' }) }],
      ...extras(),
    });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(textOf(message), 'one two three ');
    assert.equal(message.usage.output_tokens, 3);
    return JSON.stringify(textOf(message));
  },

  async error_wrong_key(Anthropic) {
    const client = connect(Anthropic, { apiKey: 'sk-sb-v1-wrong' });
    return expectError(
      client.messages.create({ model: env.model, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }], ...extras() }),
      [Anthropic.AuthenticationError],
      [401]);
  },

  async error_unknown_model(Anthropic) {
    const client = connect(Anthropic, { apiKey: env.key });
    return expectError(
      client.messages.create({ model: 'nobody/nothing', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }], ...extras() }),
      [Anthropic.NotFoundError, Anthropic.BadRequestError],
      [404, 400]);
  },

  async count_tokens(Anthropic) {
    const client = connect(Anthropic, { apiKey: env.key });
    const counted = await client.messages.countTokens({
      model: env.model,
      system: 'Be terse.',
      messages: [{ role: 'user', content: 'Hello, world' }],
    });
    assert.equal(typeof counted.input_tokens, 'number');
    assert.ok(counted.input_tokens > 0, `input_tokens ${counted.input_tokens}`);
    return `input_tokens ${counted.input_tokens}`;
  },
});

function connect(Anthropic, credential) {
  // No retries: a retried 5xx or 529 would hide exactly what this suite is here to see.
  return new Anthropic({ baseURL: `${env.base}/api`, ...credential, maxRetries: 0, timeout: 30000 });
}

async function plainMessage(client) {
  const message = await client.messages.create({
    model: env.model,
    max_tokens: 256,
    system: 'Be kind.',
    messages: [{ role: 'user', content: scripted('Hi', { content: 'Hello from the simulator' }) }],
    ...extras(),
  });
  assert.ok(message.id, 'id');
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.model, env.model);
  assert.equal(message.content.length, 1, `one block in ${JSON.stringify(message.content)}`);
  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, 'Hello from the simulator');
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.stop_sequence, null);
  assert.ok(message.usage.input_tokens > 0, 'usage.input_tokens');
  assert.equal(message.usage.output_tokens, 4);
  return `${message.id}: ${message.content[0].text}`;
}

function textOf(message) {
  return message.content.filter((block) => block.type === 'text').map((block) => block.text).join('');
}
