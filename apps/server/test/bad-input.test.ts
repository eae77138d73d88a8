import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};
type Operation = {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { in: string; name: string }[];
};
type Doc = { paths: Record<string, Record<string, Operation>> };

let kefu: TestKefu;
let admin: TestAgent;
let doc: Doc;

beforeAll(async () => {
  kefu = await createTestKefu();
  admin = await seedAgent(kefu, 'admin');
  doc = (await kefu.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
});
afterAll(() => kefu.close());

function operations(): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);
const VALID_ID = '00000000-0000-4000-8000-000000000000';

async function send(method: string, url: string, payload?: string | object) {
  return kefu.app.inject({
    method: method as 'POST',
    url,
    headers: {
      cookie: admin.cookie,
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(payload !== undefined
      ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }
      : {}),
  });
}

function expectClientError(
  response: { statusCode: number; json: () => unknown; body: string },
  label: string,
) {
  expect(response.statusCode, `${label}: ${response.body}`).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, `${label}: ${response.body}`).toBeLessThan(500);
  const error = errorOf(response);
  expect(error.code, label).toMatch(/^[a-z_]+\.[a-z_.]+$/);
  expect(error.message.length, label).toBeGreaterThan(5);
  expect(response.body, label).not.toMatch(/at .*\.ts:\d+/); // no stack traces
}

describe('bad input on every route in the OpenAPI document', () => {
  it('the document lists the routes', () => {
    expect(operations().length).toBeGreaterThan(20);
  });

  it('malformed JSON is a 400 request.malformed_json', async () => {
    for (const { method, path, op } of operations()) {
      if (!op.requestBody) continue;
      const response = await send(method, fill(path, VALID_ID), '{"email": ');
      expectClientError(response, `${method} ${path}`);
      expect(errorOf(response).code, `${method} ${path}`).toBe('request.malformed_json');
    }
  });

  it('wrong types name the failing fields', async () => {
    for (const { method, path, op } of operations()) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const props = Object.keys(schema?.properties ?? {});
      if (!schema || props.length === 0) continue;
      const body = Object.fromEntries(props.map((p) => [p, { nested: [1, 2, 3] }]));
      const response = await send(method, fill(path, VALID_ID), body);
      expectClientError(response, `${method} ${path}`);
      expect(errorOf(response).code).toBe('request.invalid');
      expect(errorOf(response).message).toContain(props[0]);
    }
  });

  it('over-long strings are refused, not stored', async () => {
    for (const { method, path, op } of operations()) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const props = Object.keys(schema?.properties ?? {});
      if (!schema || props.length === 0) continue;
      const body = Object.fromEntries(props.map((p) => [p, 'x'.repeat(20_000)]));
      const response = await send(method, fill(path, VALID_ID), body);
      expectClientError(response, `${method} ${path}`);
    }
  });

  it('unknown fields are refused with their name', async () => {
    const response = await send('POST', '/api/v1/teams', { name: 'Has extra', colour: 'red' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toContain('colour');
  });

  it('a body that is not an object, or too large, gets a 4xx', async () => {
    for (const payload of ['[]', '"text"', '12', 'null']) {
      expectClientError(await send('POST', '/api/v1/teams', payload), payload);
    }
    const huge = await send(
      'POST',
      '/api/v1/teams',
      JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(huge.statusCode).toBe(413);
    expect(errorOf(huge).code).toBe('request.too_large');
    const wrongType = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { cookie: admin.cookie, 'content-type': 'application/xml' },
      payload: '<team/>',
    });
    expect(wrongType.statusCode).toBe(415);
  });

  it('path ids that are not UUIDs are a 400 naming the parameter', async () => {
    for (const { method, path } of operations()) {
      if (!path.includes('{')) continue;
      const response = await send(
        method,
        fill(path, 'not-a-uuid'),
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      expectClientError(response, `${method} ${path}`);
    }
  });

  it('bad query parameters are a 400', async () => {
    const response = await send('GET', '/api/v1/audit?limit=100000&since=yesterday');
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toMatch(/limit/);
    expect(errorOf(response).message).toMatch(/since/);
  });
});
