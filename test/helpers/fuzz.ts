// Generated and mutated operations for the gateway fuzz run (test/integration/gateway-fuzz.test.ts),
// deterministic from a seed: documents walked from the API schema (random fields, aliases, arguments,
// fragments, depths), valid operations mutated character by character, the issue's bombs (depth,
// aliases, root fields, fragment cycles and bombs, deep input objects, huge literals), bodies that are
// not GraphQL requests (malformed JSON, wrong types, batches, oversized, other content types and
// methods), credentials that do not hold, and graphql-ws sessions with bad frames.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export type FuzzOp =
  | { kind: 'http'; label: string; method: string; path: string; headers: Record<string, string>; body?: string }
  | { kind: 'ws'; label: string; protocol: string | null; token?: string; frames: (string | Buffer)[]; awaitAck: boolean };

/** mulberry32: small, fast, deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FuzzGenerator {
  private readonly rand: () => number;
  private readonly valid: string[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly token: string,
    private readonly clusters: readonly string[],
    corpus: readonly string[],
    seed = 15,
  ) {
    this.rand = random(seed);
    this.valid = [...corpus];
  }

  private int(max: number): number {
    return Math.floor(this.rand() * max);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  private word(): string {
    return this.pick(['name', 'nodes', 'cluster', 'pods', 'x', '__typename', '__schema', 'ptp', 'sriov', 'labels', 'zz9', 'on', 'fragment', 'query']);
  }

  private inputValue(type: GraphQLInputType, depth: number): string {
    const nullable = getNullableType(type);
    if (this.chance(0.05)) return this.pick(['null', '"☃"', '-1', '1e309', '[]', '{}', '$nope', '"' + 'x'.repeat(this.int(2000)) + '"']);
    if (isListType(nullable)) return `[${Array.from({ length: this.int(3) }, () => this.inputValue(nullable.ofType, depth + 1)).join(', ')}]`;
    if (isEnumType(nullable)) return this.pick(nullable.getValues()).name;
    if (isInputObjectType(nullable)) {
      if (depth > 3) return '{}';
      const fields = Object.values(nullable.getFields()).filter((f) => isNonNullType(f.type) || this.chance(0.4));
      return `{ ${fields.map((f) => `${f.name}: ${this.inputValue(f.type, depth + 1)}`).join(', ')} }`;
    }
    if (isScalarType(nullable)) {
      switch (nullable.name) {
        case 'Int':
          return String(this.pick([0, 1, 3, -1, 100, 2147483647]));
        case 'Float':
          return String(this.pick([0, 1.5, -3, 1e6]));
        case 'Boolean':
          return this.pick(['true', 'false']);
        case 'ID':
          return JSON.stringify(this.chance(0.7) ? this.pick(this.clusters) : this.pick(['du-999', 'nope', '', 'hub-1/../x']));
        default:
          return JSON.stringify(this.pick(['du-001-sno', 'role=edge', 'a,b', '!!', 'openshift-ptp', '5m', 'x'.repeat(50)]));
      }
    }
    return 'null';
  }

  private args(field: GraphQLField<unknown, unknown>): string {
    const args = field.args.filter((a) => isNonNullType(a.type) || this.chance(0.3));
    return args.length ? `(${args.map((a) => `${a.name}: ${this.inputValue(a.type, 0)}`).join(', ')})` : '';
  }

  /** A selection set on `type`, up to `depth` levels. */
  private selection(type: GraphQLObjectType, depth: number): string {
    const fields = Object.values(type.getFields());
    const n = 1 + this.int(Math.min(4, fields.length));
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const field = this.pick(fields);
      const named = getNamedType(field.type);
      const alias = this.chance(0.15) ? `a${this.int(1000)}: ` : '';
      if (isObjectType(named)) {
        if (depth <= 1) continue;
        parts.push(`${alias}${field.name}${this.args(field)} { ${this.selection(named, depth - 1)} }`);
      } else if (!('getFields' in named)) {
        parts.push(`${alias}${field.name}${this.args(field)}`);
      }
    }
    return parts.length ? parts.join(' ') : '__typename';
  }

  /** A document walked from the schema: usually valid, sometimes too deep or too wide. */
  private generated(): string {
    const root = this.schema.getQueryType()!;
    const depth = this.chance(0.1) ? 10 + this.int(30) : 1 + this.int(6);
    const body = Array.from({ length: 1 + this.int(3) }, () => this.selection(root, depth)).join(' ');
    if (this.chance(0.2)) return `query Q($v: ID) { ...F } fragment F on Query { ${body} }`;
    return `{ ${body} }`;
  }

  private mutated(): string {
    let q = this.pick(this.valid);
    for (let i = 1 + this.int(4); i > 0; i--) {
      const at = this.int(q.length + 1);
      switch (this.int(6)) {
        case 0:
          q = q.slice(0, at) + q.slice(at + 1 + this.int(8));
          break;
        case 1:
          q = q.slice(0, at) + this.pick(['{', '}', '(', ')', '[', ']', ':', '"', '$', '@', '!', '...', ',', '#', '\\', '\u0000', '𝄞']) + q.slice(at);
          break;
        case 2:
          q = q.slice(0, at) + q.slice(at, at + this.int(40)).repeat(2 + this.int(4)) + q.slice(at);
          break;
        case 3:
          q = q.slice(0, at);
          break;
        case 4:
          q = q.slice(0, at) + ` ${this.word()} ` + q.slice(at);
          break;
        default:
          q = q.replace(/\bname\b/, this.word());
      }
    }
    return q;
  }

  private bomb(): string {
    switch (this.int(9)) {
      case 0: {
        const n = 50 + this.int(3000);
        return `{${'a{'.repeat(n)}b${'}'.repeat(n)}}`;
      }
      case 1: {
        const n = 5 + this.int(40);
        return `{ clusters { ${'nodes { cluster { '.repeat(n)}name${' } }'.repeat(n)} } }`;
      }
      case 2:
        return `{ ${Array.from({ length: 100 + this.int(12_000) }, (_, i) => `a${i}: __typename`).join(' ')} }`;
      case 3:
        return `{ clusters { ${Array.from({ length: 30 + this.int(300) }, (_, i) => `p${i}: pods(namespace: "n${i}") { name }`).join(' ')} } }`;
      case 4:
        return '{ ...A } fragment A on Query { ...B clusters { name } } fragment B on Query { ...A }';
      case 5: {
        const levels = 10 + this.int(20);
        const frags = Array.from({ length: levels }, (_, i) => (i === levels - 1 ? `fragment F${i} on Cluster { name }` : `fragment F${i} on Cluster { ...F${i + 1} a${i}: name ...F${i + 1} }`));
        return `{ clusters { ...F0 } } ${frags.join(' ')}`;
      }
      case 6: {
        const n = 20 + this.int(500);
        return `{ clusters(labels: ${'['.repeat(n)}${']'.repeat(n)}) { name } }`;
      }
      case 7:
        return `{ cluster(name: "${'x'.repeat(100_000 + this.int(100_000))}") { name } }`;
      default:
        return `{ clusters { name ${'@include(if: true) '.repeat(500 + this.int(2000))} } }`;
    }
  }

  private auth(): Record<string, string> {
    const r = this.rand();
    if (r < 0.85) return { authorization: `Bearer ${this.token}` };
    if (r < 0.9) return {};
    if (r < 0.95) return { authorization: `Bearer ${this.pick(['garbage', 'eyJhbGciOiJub25lIn0.e30.', 'eyJ' + 'A'.repeat(300) + '.x.y', ''])}` };
    return { authorization: this.pick(['Basic Zm9vOmJhcg==', 'Bearer', 'Bearer ' + 'x'.repeat(5000)]) };
  }

  private post(label: string, body: string, headers: Record<string, string> = {}): FuzzOp {
    return { kind: 'http', label, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...this.auth(), ...headers }, body };
  }

  private wsOp(): FuzzOp {
    const subscribe = (query: string, id = String(this.int(100))) => JSON.stringify({ id, type: 'subscribe', payload: { query } });
    const valid = 'subscription { ptpClockStateChanged { currentState node { name } } }';
    const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${this.token}` } });
    switch (this.int(11)) {
      case 0:
        return { kind: 'ws', label: 'ws:valid-subscribe-complete', protocol: 'graphql-transport-ws', token: this.token, frames: [subscribe(valid, '1'), JSON.stringify({ id: '1', type: 'complete' })], awaitAck: true };
      case 1:
        return { kind: 'ws', label: 'ws:not-json', protocol: 'graphql-transport-ws', frames: [init, '{{{not json'], awaitAck: false };
      case 2:
        return { kind: 'ws', label: 'ws:subscribe-before-init', protocol: 'graphql-transport-ws', frames: [subscribe(valid)], awaitAck: false };
      case 3:
        return { kind: 'ws', label: 'ws:double-init', protocol: 'graphql-transport-ws', frames: [init, init], awaitAck: false };
      case 4:
        return { kind: 'ws', label: 'ws:bad-payloads', protocol: 'graphql-transport-ws', token: this.token, frames: ['{"type":"subscribe"}', '{"id":1,"type":"subscribe","payload":{}}'], awaitAck: true };
      case 5:
        return { kind: 'ws', label: 'ws:binary', protocol: 'graphql-transport-ws', frames: [Buffer.from([0, 1, 2, 255, 254])], awaitAck: false };
      case 6:
        return { kind: 'ws', label: 'ws:oversized-frame', protocol: 'graphql-transport-ws', token: this.token, frames: [subscribe(`subscription { ptpClockStateChanged { ${'currentState '.repeat(10_000)} } }`)], awaitAck: true };
      case 7:
        return { kind: 'ws', label: 'ws:bomb-subscribe', protocol: 'graphql-transport-ws', token: this.token, frames: [subscribe(this.bomb().replace(/^\{/, 'subscription {'))], awaitAck: true };
      case 8:
        return { kind: 'ws', label: 'ws:wrong-subprotocol', protocol: this.pick(['graphql-ws', 'nope', null]), frames: [init], awaitAck: false };
      case 9:
        return {
          kind: 'ws',
          label: 'ws:bad-token',
          protocol: 'graphql-transport-ws',
          frames: [JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer nope' } })],
          awaitAck: false,
        };
      default:
        return { kind: 'ws', label: 'ws:mutated-subscribe', protocol: 'graphql-transport-ws', token: this.token, frames: [subscribe(this.mutated().replace(/^\s*(query\b)?/, 'subscription '))], awaitAck: true };
    }
  }

  next(): FuzzOp {
    const r = this.rand();
    if (r < 0.3) return this.post('generated', JSON.stringify({ query: this.generated() }));
    if (r < 0.5) return this.post('mutated', JSON.stringify({ query: this.mutated(), variables: this.chance(0.3) ? { v: this.pick(this.clusters) } : undefined }));
    if (r < 0.62) return this.post('bomb', JSON.stringify({ query: this.bomb() }));
    if (r < 0.7) {
      const valid = JSON.stringify({ query: this.pick(this.valid) });
      return this.post('malformed-json', valid.slice(0, this.int(valid.length)) + this.pick(['', '}', '{', '\u0000', ',"x":']));
    }
    if (r < 0.76) {
      const bodies = [
        JSON.stringify([{ query: '{ clusters { name } }' }, { query: '{ __typename }' }]),
        JSON.stringify({ query: 123 }),
        JSON.stringify({ query: '{ clusters { name } }', variables: 'x', operationName: {} }),
        JSON.stringify({ query: '{ clusters { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
        JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }),
        'null',
        '"just a string"',
        '',
        JSON.stringify({ query: 'mutation { deleteProvisioningRequest(cluster: "hub-1", name: "x") { outcome } }' }),
      ];
      return this.post('wrong-shape', this.pick(bodies));
    }
    if (r < 0.8) return this.post('oversized', JSON.stringify({ query: '{ clusters { name } }', pad: 'x'.repeat(260_000 + this.int(800_000)) }));
    if (r < 0.85) {
      const q = encodeURIComponent(this.chance(0.5) ? this.pick(this.valid) : this.mutated());
      const variants: FuzzOp[] = [
        { kind: 'http', label: 'get', method: 'GET', path: `/graphql?query=${q}`, headers: { ...this.auth(), 'apollo-require-preflight': 'true' } },
        { kind: 'http', label: 'get-no-preflight', method: 'GET', path: `/graphql?query=${q}`, headers: this.auth() },
        { kind: 'http', label: 'text-plain', method: 'POST', path: '/graphql', headers: { 'content-type': 'text/plain', ...this.auth() }, body: JSON.stringify({ query: this.pick(this.valid) }) },
        { kind: 'http', label: 'put', method: 'PUT', path: '/graphql', headers: { 'content-type': 'application/json' }, body: '{}' },
        { kind: 'http', label: 'other-path', method: 'POST', path: this.pick(['/graphql/x', '/nope', '/graphiql/../package.json', '/%ff']), headers: { 'content-type': 'application/json' }, body: '{}' },
        { kind: 'http', label: 'evil-origin', method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...this.auth() }, body: JSON.stringify({ query: '{ clusters { name } }' }) },
      ];
      return this.pick(variants);
    }
    if (r < 0.9) return this.post('valid', JSON.stringify({ query: this.pick(this.valid) }));
    return this.wsOp();
  }
}
