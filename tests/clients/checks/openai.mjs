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

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temp_c: { type: 'number' }, sunny: { type: 'boolean' } },
  required: ['city', 'temp_c', 'sunny'],
  additionalProperties: false,
};

const weatherSchemaLoose = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

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

  async json_mode(OpenAI) {
    const client = connect(OpenAI);
    const expected = { city: 'Lyon', temp_c: 12, sunny: true };
    const asObject = await client.chat.completions.create({
      model: env.model,
      messages: [{ role: 'user', content: scripted('Weather as JSON', { json: expected }) }],
      response_format: { type: 'json_object' },
      ...extras(),
    });
    assert.deepEqual(JSON.parse(asObject.choices[0].message.content), expected, 'json_object');
    assert.equal(asObject.choices[0].finish_reason, 'stop');

    const asSchema = await client.chat.completions.create({
      model: env.model,
      messages: [{ role: 'user', content: scripted('Weather as JSON', { json: expected }) }],
      response_format: { type: 'json_schema', json_schema: { name: 'weather', strict: true, schema: weatherSchema } },
      ...extras(),
    });
    const message = asSchema.choices[0].message;
    assert.equal(message.tool_calls ?? undefined, undefined, 'a schema answer is text, not a tool call');
    assert.deepEqual(JSON.parse(message.content), expected, 'json_schema');
    assert.equal(asSchema.choices[0].finish_reason, 'stop');
    return message.content;
  },

  async responses_create(OpenAI) {
    const client = connect(OpenAI);
    const response = await client.responses.create({
      model: env.model,
      instructions: 'Be kind.',
      input: scripted('Hi', { content: 'Hello from the simulator' }),
      ...extras(),
    });
    assert.equal(response.object, 'response');
    assert.match(response.id, /\S/, 'the response has an id');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, env.model);
    assert.equal(response.output_text, 'Hello from the simulator');
    const messages = response.output.filter((item) => item.type === 'message');
    assert.equal(messages.length, 1, `one message item in ${JSON.stringify(response.output)}`);
    assert.equal(messages[0].role, 'assistant');
    assert.equal(messages[0].content[0].type, 'output_text');
    assert.ok(response.usage.input_tokens > 0, 'usage.input_tokens');
    assert.equal(response.usage.output_tokens, 4);
    assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
    return `${response.id}: ${response.output_text}, usage ${JSON.stringify(response.usage)}`;
  },

  async responses_stream(OpenAI) {
    const client = connect(OpenAI);
    const stream = await client.responses.create({
      model: env.model,
      input: [{ role: 'user', content: scripted('Hi', { content: 'streamed word by word' }) }],
      stream: true,
      ...extras(),
    });
    const types = [];
    const numbers = [];
    let text = '';
    let deltas = 0;
    let completed = null;
    for await (const event of stream) {
      if (types.at(-1) !== event.type) {
        types.push(event.type);
      }
      numbers.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
        deltas++;
      }
      if (event.type === 'response.completed') {
        completed = event.response;
      }
    }
    // What OpenAI sends for one text answer, runs of deltas counted once.
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.ok(numbers.every((n, i) => Number.isInteger(n) && (i === 0 || n > numbers[i - 1])), `sequence_number strictly increasing: ${numbers.join(',')}`);
    assert.equal(text, 'streamed word by word');
    assert.ok(deltas > 1, `expected several deltas, got ${deltas}`);
    assert.equal(completed.status, 'completed');
    assert.equal(completed.output_text ?? completed.output.flatMap((i) => i.content ?? []).map((c) => c.text).join(''), 'streamed word by word');
    assert.equal(completed.usage.output_tokens, 4);
    assert.ok(completed.usage.input_tokens > 0, 'usage.input_tokens');
    return `${numbers.length} events, ${deltas} deltas, usage ${JSON.stringify(completed.usage)}`;
  },

  async responses_tool_round_trip(OpenAI) {
    const client = connect(OpenAI);
    const tools = [{ type: 'function', name: 'get_weather', description: 'Current weather', parameters: weatherSchemaLoose, strict: false }];
    const input = [{
      role: 'user',
      content: scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }),
    }];
    const first = await client.responses.create({ model: env.model, input, tools, ...extras() });
    const calls = first.output.filter((item) => item.type === 'function_call');
    assert.equal(calls.length, 1, `one function_call in ${JSON.stringify(first.output)}`);
    const call = calls[0];
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Lyon' });
    assert.match(call.call_id ?? '', /\S/, 'the call has a call_id');
    assert.equal(first.output_text, '', 'no text beside the call');

    input.push(...first.output);
    input.push({ type: 'function_call_output', call_id: call.call_id, output: `{"temp_c":12} <simulator>${JSON.stringify({ content: 'It is 12C in Lyon.' })}</simulator>` });
    const second = await client.responses.create({ model: env.model, input, tools, ...extras() });
    assert.equal(second.status, 'completed');
    assert.equal(second.output_text, 'It is 12C in Lyon.');
    assert.equal(second.output.filter((item) => item.type === 'function_call').length, 0, 'no second call');
    return `call ${call.call_id}`;
  },

  async responses_json_schema(OpenAI) {
    const client = connect(OpenAI);
    const expected = { city: 'Lyon', temp_c: 12, sunny: true };
    const response = await client.responses.create({
      model: env.model,
      input: scripted('Weather as JSON', { json: expected }),
      text: { format: { type: 'json_schema', name: 'weather', strict: true, schema: weatherSchema } },
      ...extras(),
    });
    assert.equal(response.status, 'completed');
    assert.equal(response.output.filter((item) => item.type === 'function_call').length, 0, 'a schema answer is text, not a call');
    assert.deepEqual(JSON.parse(response.output_text), expected);
    assert.equal(response.text?.format?.type, 'json_schema', 'the response echoes text.format');
    return response.output_text;
  },

  async embeddings(OpenAI) {
    const client = connect(OpenAI);
    const model = env.embeddingModel;
    const one = await client.embeddings.create({ model, input: 'The quick brown fox', encoding_format: 'float', ...extras() });
    assert.equal(one.object, 'list');
    assert.equal(one.model, model);
    assert.equal(one.data.length, 1);
    assert.equal(one.data[0].object, 'embedding');
    assert.equal(one.data[0].index, 0);
    const vector = one.data[0].embedding;
    assert.ok(Array.isArray(vector) && vector.length > 0, 'a float vector');
    assert.ok(vector.every((x) => typeof x === 'number' && Number.isFinite(x)), 'finite floats');
    assert.ok(one.usage.prompt_tokens > 0, 'usage.prompt_tokens');
    assert.equal(one.usage.total_tokens, one.usage.prompt_tokens);

    const texts = ['The quick brown fox', 'jumps over', 'the lazy dog'];
    const many = await client.embeddings.create({ model, input: texts, encoding_format: 'float', ...extras() });
    assert.deepEqual(many.data.map((d) => d.index), [0, 1, 2]);
    assert.ok(many.data.every((d) => d.embedding.length === vector.length), 'every vector has the same dimensions');
    assert.deepEqual(many.data[0].embedding, vector, 'the same text, the same vector');
    assert.notDeepEqual(many.data[1].embedding, vector, 'another text, another vector');
    assert.ok(many.usage.prompt_tokens > one.usage.prompt_tokens, 'three inputs cost more than one');

    const encoded = await client.embeddings.create({ model, input: texts, encoding_format: 'base64', ...extras() });
    assert.equal(encoded.data.length, 3);
    encoded.data.forEach((d, i) => {
      assert.equal(typeof d.embedding, 'string', 'base64 asked for, base64 returned');
      const bytes = Buffer.from(d.embedding, 'base64');
      const decoded = Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
      assert.deepEqual(decoded, many.data[i].embedding.map(Math.fround), `base64 vector ${i} decodes to the float one`);
    });

    // The SDK's default asks for base64 and decodes it into floats itself.
    const byDefault = await client.embeddings.create({ model, input: 'jumps over', dimensions: 16, ...extras() });
    assert.equal(byDefault.data[0].embedding.length, 16, 'dimensions: 16');
    assert.ok(byDefault.data[0].embedding.every((x) => typeof x === 'number'), 'the SDK decoded the default base64');
    return `${model}: ${vector.length} dimensions, usage ${JSON.stringify(many.usage)}`;
  },
});

function connect(OpenAI, key = env.key) {
  // No retries: a retried 5xx would hide exactly what this suite is here to see.
  return new OpenAI({ baseURL: `${env.base}/api/v1`, apiKey: key, maxRetries: 0, timeout: 30000 });
}
