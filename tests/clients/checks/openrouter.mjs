// OpenRouter's own TypeScript SDK (`@openrouter/sdk`), unmodified, against the gateway's OpenRouter base URL. The SDK
// validates every response against OpenRouter's zod schemas and throws ResponseValidationError on any mismatch, so
// each check below is one SDK call whose response must both parse and carry the values the simulator was scripted to
// give. Checks that need a management key read it from SWITCHBOARD_MANAGEMENT_KEY.
//
// The chat and generation checks depend on the upstream protocol (run once per provider); the catalog, key, credit
// and activity checks do not (ClientConformanceTests runs them once). The embeddings and responses checks need the
// gateway's /embeddings and /responses routes; embeddings_generate runs with an embedding model as SWITCHBOARD_MODEL.
import { assert, env, run, scripted } from './harness.mjs';

const managementKey = process.env.SWITCHBOARD_MANAGEMENT_KEY ?? '';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

// SDK-shaped extras: the provider pin, camelCase as the SDK's request schema spells it.
const pin = () => (env.provider ? { provider: { only: [env.provider] } } : {});

// State one check leaves for a later one (the keys CRUD runs in order: create, get, update, list, delete).
const state = {};

const [author, slug] = env.model.split('/');

await run(async () => ({ ...(await import('@openrouter/sdk')), models: await import('@openrouter/sdk/models') }), {
  async chat_send(sdk) {
    const completion = await send(sdk, connect(sdk), {
      chatRequest: {
        model: env.model,
        messages: [
          { role: 'system', content: 'Be kind.' },
          { role: 'user', content: scripted('Hi', { content: 'Hello from the simulator' }) },
        ],
        ...pin(),
      },
    });
    assert.match(completion.id, /^gen-/);
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, env.model);
    assert.ok('systemFingerprint' in completion, 'system_fingerprint is present');
    const choice = completion.choices[0];
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content, 'Hello from the simulator');
    assert.equal(choice.finishReason, 'stop');
    assertUsage(completion.usage, 4);
    return `${completion.id}: ${choice.message.content}, cost ${completion.usage.cost}`;
  },

  async chat_stream(sdk) {
    const stream = await send(sdk, connect(sdk), {
      chatRequest: {
        model: env.model,
        messages: [{ role: 'user', content: scripted('Hi', { content: 'streamed word by word' }) }],
        stream: true,
        streamOptions: { includeUsage: true },
        ...pin(),
      },
    });
    const { text, deltas, finish, usage, chunks } = await collect(stream);
    assert.equal(text, 'streamed word by word');
    assert.ok(deltas > 1, `expected several deltas, got ${deltas}`);
    assert.equal(finish, 'stop');
    assertUsage(usage, 4);
    for (const chunk of chunks) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.model, env.model);
    }
    return `${chunks.length} chunks, ${deltas} deltas, usage ${JSON.stringify(usage)}`;
  },

  async chat_tools(sdk) {
    const client = connect(sdk);
    const messages = [{
      role: 'user',
      content: scripted('Weather in Lyon?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}' }] }),
    }];
    const first = await send(sdk, client, { chatRequest: { model: env.model, messages, tools: [weatherTool], ...pin() } });
    const choice = first.choices[0];
    assert.equal(choice.finishReason, 'tool_calls');
    assert.equal(choice.message.toolCalls?.length, 1, 'one tool call');
    const call = choice.message.toolCalls[0];
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Lyon' });
    assert.ok(call.id, 'the tool call has an id');

    messages.push({ role: 'assistant', content: choice.message.content ?? null, toolCalls: choice.message.toolCalls });
    messages.push({ role: 'tool', toolCallId: call.id, content: `{"temp_c":12} <simulator>${JSON.stringify({ content: 'It is 12C in Lyon.' })}</simulator>` });
    const second = await send(sdk, client, { chatRequest: { model: env.model, messages, tools: [weatherTool], ...pin() } });
    assert.equal(second.choices[0].message.content, 'It is 12C in Lyon.');
    assert.equal(second.choices[0].finishReason, 'stop');
    return `call ${call.id}`;
  },

  async chat_stream_tools(sdk) {
    const stream = await send(sdk, connect(sdk), {
      chatRequest: {
        model: env.model,
        messages: [{
          role: 'user',
          content: scripted('Weather in Oslo?', { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] }),
        }],
        tools: [weatherTool],
        stream: true,
        streamOptions: { includeUsage: true },
        ...pin(),
      },
    });
    const { calls, finish, usage } = await collect(stream);
    assert.equal(finish, 'tool_calls');
    assert.equal(calls.length, 1, 'one tool call');
    assert.equal(calls[0].name, 'get_weather');
    assert.ok(calls[0].id, 'the tool call has an id');
    assert.deepEqual(JSON.parse(calls[0].arguments), { city: 'Oslo' });
    assert.ok(usage?.cost > 0, 'the usage chunk carries a cost');
    return `call ${calls[0].id} ${calls[0].arguments}`;
  },

  async chat_reasoning(sdk) {
    const completion = await send(sdk, connect(sdk), {
      chatRequest: {
        model: env.model,
        messages: [{ role: 'user', content: scripted('Think', { reasoning: 'Let me think it over.', content: 'Forty-two.' }) }],
        reasoning: { effort: 'low' },
        maxTokens: 2000,
        ...pin(),
      },
    });
    const message = completion.choices[0].message;
    assert.equal(message.content, 'Forty-two.');
    assert.equal(message.reasoning, 'Let me think it over.');
    assertReasoningTokens(completion.usage);
    assert.ok(completion.usage.cost > 0, 'usage.cost');
    return `reasoning ${JSON.stringify(message.reasoning)}, usage ${JSON.stringify(completion.usage)}`;
  },

  async chat_stream_reasoning(sdk) {
    const stream = await send(sdk, connect(sdk), {
      chatRequest: {
        model: env.model,
        messages: [{ role: 'user', content: scripted('Think', { reasoning: 'Let me think it over.', content: 'Forty-two.' }) }],
        reasoning: { effort: 'low' },
        maxTokens: 2000,
        stream: true,
        streamOptions: { includeUsage: true },
        ...pin(),
      },
    });
    const { text, reasoning, finish, usage } = await collect(stream);
    assert.equal(reasoning, 'Let me think it over.');
    assert.equal(text, 'Forty-two.');
    assert.equal(finish, 'stop');
    assertReasoningTokens(usage);
    return `reasoning ${JSON.stringify(reasoning)}`;
  },

  async generation_get(sdk) {
    const completion = await send(sdk, connect(sdk), {
      chatRequest: { model: env.model, messages: [{ role: 'user', content: scripted('Hi', { content: 'to be looked up' }) }], ...pin() },
    });
    // The record is written when the generation settles, a moment after the answer: retry a 404 briefly, as
    // OpenRouter's own clients do.
    let generation;
    for (let attempt = 0; ; attempt++) {
      try {
        generation = await connect(sdk).generations.getGeneration({ id: completion.id });
        break;
      } catch (error) {
        if (error?.statusCode !== 404 || attempt >= 20) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    const data = generation.data;
    assert.equal(data.id, completion.id);
    assert.equal(data.model, env.model);
    assert.equal(data.tokensCompletion, completion.usage.completionTokens);
    assert.equal(data.tokensPrompt, completion.usage.promptTokens);
    assert.equal(data.finishReason, 'stop');
    assert.equal(data.streamed, false);
    assert.equal(data.cancelled, false);
    assert.ok(data.totalCost > 0, 'total_cost');
    assert.ok(Math.abs(data.totalCost - completion.usage.cost) < 1e-12, `total_cost ${data.totalCost} equals usage.cost ${completion.usage.cost}`);
    assert.ok(data.providerName, 'provider_name');
    return `${data.id} via ${data.providerName}: ${data.totalCost}`;
  },

  async models_list(sdk) {
    const pages = await connect(sdk).models.list();
    const models = pages.result.data;
    const model = models.find((m) => m.id === env.model);
    assert.ok(model, `${env.model} is listed`);
    assertModel(model);
    return `${models.length} models`;
  },

  async models_count(sdk) {
    const client = connect(sdk);
    const count = await client.models.count();
    const pages = await client.models.list();
    assert.equal(count.data.count, pages.result.data.length);
    return `${count.data.count} models`;
  },

  async models_get(sdk) {
    const response = await connect(sdk).models.get({ author, slug });
    assertModel(response.data);
    return `${response.data.id}: ${response.data.name}`;
  },

  async models_list_for_user(sdk) {
    // The SDK asks for this call's bearer token apart from the client's own key.
    const pages = await connect(sdk).models.listForUser({ bearer: env.key });
    const response = pages.result;
    const model = response.data.find((m) => m.id === env.model);
    assert.ok(model, `${env.model} is listed for the user`);
    assertModel(model);
    return `${response.data.length} models for this account`;
  },

  async endpoints_list(sdk) {
    const response = await connect(sdk).endpoints.list({ author, slug });
    const data = response.data;
    assert.equal(data.id, env.model);
    const tags = data.endpoints.map((e) => e.tag).sort();
    assert.deepEqual(tags, ['alpha', 'claude', 'gem']);
    for (const endpoint of data.endpoints) {
      assert.ok(endpoint.providerName, 'provider_name');
      assert.ok(endpoint.contextLength > 0, 'context_length');
      assert.equal(endpoint.pricing.prompt, '0.000001');
    }
    return data.endpoints.map((e) => `${e.tag}: ${e.providerName}`).join(', ');
  },

  async providers_list(sdk) {
    const response = await connect(sdk).providers.list();
    const slugs = response.data.map((p) => p.slug);
    for (const expected of ['alpha', 'claude', 'gem']) {
      assert.ok(slugs.includes(expected), `${expected} is listed`);
    }
    const alpha = response.data.find((p) => p.slug === 'alpha');
    assert.ok(alpha.name, 'name');
    assert.match(alpha.privacyPolicyUrl ?? '', /^https:/);
    return `${slugs.length} providers`;
  },

  async key_current(sdk) {
    const response = await connect(sdk).apiKeys.getCurrentKeyMetadata();
    const data = response.data;
    assert.equal(data.isManagementKey, false);
    assert.equal(data.isProvisioningKey, false);
    assert.equal(typeof data.usage, 'number');
    assert.ok(data.label, 'label');
    return `${data.label}: usage ${data.usage}, limit ${data.limit}`;
  },

  async keys_create(sdk) {
    const name = `sdk-${Math.random().toString(36).slice(2, 10)}`;
    const response = await management(sdk).apiKeys.create({ requestBody: { name, limit: 5, limitReset: 'monthly' } });
    assert.match(response.key, /^sk-sb-v1-/);
    assert.equal(response.data.name, name);
    assert.equal(response.data.limit, 5);
    assert.equal(response.data.limitReset, 'monthly');
    assert.equal(response.data.disabled, false);
    assert.equal(response.data.usage, 0);
    assert.ok(response.data.hash, 'hash');
    state.key = { hash: response.data.hash, name, secret: response.key };
    return `${response.data.hash}: ${name}`;
  },

  async keys_get(sdk) {
    assert.ok(state.key, 'keys_create made a key');
    const response = await management(sdk).apiKeys.get({ hash: state.key.hash });
    assert.equal(response.data.hash, state.key.hash);
    assert.equal(response.data.name, state.key.name);
    assert.equal(response.data.limit, 5);
    return response.data.label;
  },

  async keys_update(sdk) {
    assert.ok(state.key, 'keys_create made a key');
    const response = await management(sdk).apiKeys.update({
      hash: state.key.hash,
      requestBody: { name: `${state.key.name}-renamed`, disabled: true, limit: 7 },
    });
    assert.equal(response.data.name, `${state.key.name}-renamed`);
    assert.equal(response.data.disabled, true);
    assert.equal(response.data.limit, 7);
    return `${response.data.name}, disabled`;
  },

  async keys_list(sdk) {
    assert.ok(state.key, 'keys_create made a key');
    const client = management(sdk);
    const enabled = await client.apiKeys.list();
    assert.ok(!enabled.data.some((k) => k.hash === state.key.hash), 'a disabled key is left out by default');
    const all = await client.apiKeys.list({ includeDisabled: true });
    const listed = all.data.find((k) => k.hash === state.key.hash);
    assert.ok(listed, 'include_disabled lists the disabled key');
    assert.equal(listed.disabled, true);
    return `${enabled.data.length} enabled, ${all.data.length} in all`;
  },

  async keys_delete(sdk) {
    assert.ok(state.key, 'keys_create made a key');
    const client = management(sdk);
    const response = await client.apiKeys.delete({ hash: state.key.hash });
    assert.equal(response.deleted, true);
    try {
      await client.apiKeys.get({ hash: state.key.hash });
    } catch (error) {
      assert.equal(error?.statusCode, 404, `a deleted key is gone: ${error}`);
      return 'deleted';
    }
    assert.fail('the deleted key can still be read');
  },

  async credits_get(sdk) {
    const response = await management(sdk).credits.getCredits();
    assert.ok(response.data.totalCredits > 0, 'total_credits');
    assert.ok(response.data.totalUsage >= 0, 'total_usage');
    assert.ok(response.data.totalUsage <= response.data.totalCredits, 'usage within credits');
    return JSON.stringify(response.data);
  },

  async activity_get(sdk) {
    const response = await management(sdk).analytics.getUserActivity();
    assert.ok(Array.isArray(response.data), 'data is an array');
    for (const item of response.data) {
      assert.match(item.date, /^\d{4}-\d{2}-\d{2}/);
      assert.ok(item.model, 'model');
      assert.ok(item.requests > 0, 'requests');
    }
    return `${response.data.length} rows`;
  },

  async embeddings_generate(sdk) {
    const response = await connect(sdk).embeddings.generate({
      requestBody: { model: env.model, input: ['first text', 'second text'], ...pin() },
    });
    // The SDK's result is the body or, for a non-JSON answer, a string: a string is a failure here.
    assert.equal(typeof response, 'object', `a JSON body: ${String(response).slice(0, 200)}`);
    assert.equal(response.object, 'list');
    assert.equal(response.model, env.model);
    assert.equal(response.data.length, 2);
    for (const [index, item] of response.data.entries()) {
      assert.equal(item.index, index);
      assert.ok(Array.isArray(item.embedding) && item.embedding.length > 0, 'a vector');
    }
    assert.ok(response.usage?.promptTokens > 0, 'usage.prompt_tokens');
    assert.ok(response.usage.cost > 0, 'usage.cost');
    return `${response.data.length} vectors of ${response.data[0].embedding.length}`;
  },

  async responses_send(sdk) {
    const client = connect(sdk);
    const response = await explained(() => client.beta.responses.send({
      responsesRequest: {
        model: env.model,
        input: scripted('Hi', { content: 'Hello from the simulator' }),
        ...pin(),
      },
    }), sdk.models.OpenResponsesResult$inboundSchema, 'beta.responses.send');
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    const text = response.output
      .filter((item) => item.type === 'message')
      .flatMap((item) => item.content)
      .filter((part) => part.type === 'output_text')
      .map((part) => part.text)
      .join('');
    assert.equal(text, 'Hello from the simulator');
    assert.ok(response.usage?.outputTokens > 0, 'usage.output_tokens');
    return `${response.id}: ${text}`;
  },
});

/**
 * chat.send. Its response is a union (a completion or a stream), so on a mismatch the SDK's own message says only
 * "Invalid input": the completion is validated again with the SDK's ChatResult schema to say which field is wrong.
 */
async function send(sdk, client, request) {
  return explained(() => client.chat.send(request), sdk.models.ChatResult$inboundSchema, 'chat.send');
}

/** Runs an SDK call whose response is a union; a ResponseValidationError is explained by `schema`'s own issues. */
async function explained(call, schema, name) {
  try {
    return await call();
  } catch (error) {
    if (error?.name !== 'ResponseValidationError' || error.rawValue === undefined) {
      throw error;
    }
    const parsed = schema.safeParse(error.rawValue);
    const issues = parsed.success ? '(valid against the single schema)' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${name}: ResponseValidationError: ${issues}; body ${JSON.stringify(error.rawValue).slice(0, 1500)}`);
  }
}

function connect(sdk, key = env.key) {
  // No retries: a retried 5xx would hide exactly what this suite is here to see.
  return new sdk.OpenRouter({ apiKey: key, serverURL: `${env.base}/api/v1`, retryConfig: { strategy: 'none' }, timeoutMs: 30000 });
}

function management(sdk) {
  assert.ok(managementKey, 'SWITCHBOARD_MANAGEMENT_KEY is set');
  return connect(sdk, managementKey);
}

function assertUsage(usage, completionTokens) {
  assert.ok(usage, 'usage is present');
  assert.ok(usage.promptTokens > 0, 'usage.prompt_tokens');
  assert.equal(usage.completionTokens, completionTokens);
  assert.equal(usage.totalTokens, usage.promptTokens + usage.completionTokens);
  assert.ok(usage.cost > 0, `usage.cost is positive: ${usage.cost}`);
}

function assertReasoningTokens(usage) {
  const reasoningTokens = usage?.completionTokensDetails?.reasoningTokens;
  if (env.provider === 'claude') {
    // Anthropic's usage counts thinking inside output_tokens without a separate figure: OpenRouter's 0.
    assert.equal(reasoningTokens, 0, 'Claude reports no reasoning token count');
  } else {
    assert.ok(reasoningTokens > 0, `reasoning tokens are counted: ${reasoningTokens}`);
  }
}

function assertModel(model) {
  assert.equal(model.id, env.model);
  assert.ok(model.name, 'name');
  assert.ok(model.created > 0, 'created');
  assert.ok(model.contextLength > 0, 'context_length');
  assert.ok(model.architecture.inputModalities.includes('text'), 'input_modalities');
  assert.ok(model.supportedParameters.includes('tools'), 'supported_parameters');
  assert.ok(Number(model.pricing.prompt) > 0, 'pricing.prompt');
  assert.match(model.links.details, /\/endpoints$/);
}

/** Reads a chat stream to its end: text, reasoning, tool calls (assembled), the finish reason and the usage. */
async function collect(stream) {
  let text = '';
  let reasoning = '';
  let deltas = 0;
  let finish = null;
  let usage = null;
  const chunks = [];
  const calls = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    for (const choice of chunk.choices) {
      if (choice.delta?.content) {
        text += choice.delta.content;
        deltas++;
      }
      if (choice.delta?.reasoning) {
        reasoning += choice.delta.reasoning;
      }
      for (const call of choice.delta?.toolCalls ?? []) {
        calls[call.index] ??= { id: '', name: '', arguments: '' };
        calls[call.index].id ||= call.id ?? '';
        calls[call.index].name += call.function?.name ?? '';
        calls[call.index].arguments += call.function?.arguments ?? '';
      }
      finish ??= choice.finishReason ?? null;
    }
    usage = chunk.usage ?? usage;
  }
  return { text, reasoning, deltas, finish, usage, chunks, calls };
}
