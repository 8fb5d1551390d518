// Decoding of the Kubernetes protobuf request bodies kubectl's typed clients send
// (`Content-Type: application/vnd.kubernetes.protobuf`: `kubectl auth can-i`, `kubectl create namespace`,
// `kubectl create configmap`): the "k8s\0" envelope (runtime.Unknown), then the object message, decoded
// with the field numbers of the k8s.io/api generated.proto files for the few types that arrive this way.
// Other types answer 415 (their clients would need the whole generated schema).
import { ApiError } from './status.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Wire = { kind: 'varint'; value: bigint } | { kind: 'bytes'; value: Buffer };

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  field(): { no: number; wire: Wire } {
    const tag = Number(this.varint());
    const no = tag >>> 3;
    switch (tag & 7) {
      case 0:
        return { no, wire: { kind: 'varint', value: this.varint() } };
      case 2: {
        const len = Number(this.varint());
        if (this.pos + len > this.buf.length) throw new Error('truncated field');
        const value = this.buf.subarray(this.pos, this.pos + len);
        this.pos += len;
        return { no, wire: { kind: 'bytes', value } };
      }
      case 1:
        this.pos += 8;
        return { no, wire: { kind: 'varint', value: 0n } };
      case 5:
        this.pos += 4;
        return { no, wire: { kind: 'varint', value: 0n } };
      default:
        throw new Error(`unsupported wire type ${tag & 7}`);
    }
  }
}

function fields(buf: Buffer): Map<number, Wire[]> {
  const out = new Map<number, Wire[]>();
  const r = new Reader(buf);
  while (!r.done) {
    const { no, wire } = r.field();
    out.set(no, [...(out.get(no) ?? []), wire]);
  }
  return out;
}

/** A message type: field number → [JSON name, type]. */
type FieldType = 'string' | 'bool' | 'strings' | 'map' | 'bytesMap' | Message;
interface Message {
  [no: number]: [string, FieldType];
}

const bytesOf = (w: Wire): Buffer => (w.kind === 'bytes' ? w.value : Buffer.alloc(0));

function decodeMessage(type: Message, buf: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [no, values] of fields(buf)) {
    const def = type[no];
    if (!def) continue;
    const [name, ft] = def;
    if (ft === 'string') out[name] = bytesOf(values[values.length - 1]).toString('utf8');
    else if (ft === 'bool') out[name] = values[values.length - 1].kind === 'varint' && (values[values.length - 1] as { value: bigint }).value !== 0n;
    else if (ft === 'strings') out[name] = values.map((v) => bytesOf(v).toString('utf8'));
    else if (ft === 'map' || ft === 'bytesMap') {
      const map: Record<string, string> = {};
      for (const v of values) {
        const entry = fields(bytesOf(v));
        const key = bytesOf(entry.get(1)?.[0] ?? { kind: 'bytes', value: Buffer.alloc(0) }).toString('utf8');
        const raw = bytesOf(entry.get(2)?.[0] ?? { kind: 'bytes', value: Buffer.alloc(0) });
        map[key] = ft === 'map' ? raw.toString('utf8') : raw.toString('base64');
      }
      out[name] = map;
    } else out[name] = decodeMessage(ft, bytesOf(values[values.length - 1]));
  }
  return out;
}

// k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto ObjectMeta (the fields a client sends)
const OBJECT_META: Message = { 1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 11: ['labels', 'map'], 12: ['annotations', 'map'], 14: ['finalizers', 'strings'] };
// k8s.io/api/core/v1/generated.proto
const NAMESPACE: Message = { 1: ['metadata', OBJECT_META], 2: ['spec', { 1: ['finalizers', 'strings'] }] };
const CONFIG_MAP: Message = { 1: ['metadata', OBJECT_META], 2: ['data', 'map'], 3: ['binaryData', 'bytesMap'], 4: ['immutable', 'bool'] };
// k8s.io/api/authorization/v1/generated.proto
const RESOURCE_ATTRIBUTES: Message = {
  1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'],
};
const SSAR: Message = { 1: ['metadata', OBJECT_META], 2: ['spec', { 1: ['resourceAttributes', RESOURCE_ATTRIBUTES], 2: ['nonResourceAttributes', { 1: ['path', 'string'], 2: ['verb', 'string'] }] }] };
const SSRR: Message = { 1: ['metadata', OBJECT_META], 2: ['spec', { 1: ['namespace', 'string'] }] };

const TYPES: Record<string, Message> = {
  'v1/Namespace': NAMESPACE,
  'v1/ConfigMap': CONFIG_MAP,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': SSAR,
  'authorization.k8s.io/v1/SelfSubjectRulesReview': SSRR,
};

function unsupported(what: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (this simulator decodes protobuf for ${Object.keys(TYPES).join(', ')} only, not ${what})`);
}

/** The JSON object a protobuf request body encodes. Throws 400 for a broken envelope, 415 for a type it cannot decode. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new ApiError(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  let unknown: Map<number, Wire[]>;
  let apiVersion: string;
  let kind: string;
  try {
    unknown = fields(body.subarray(4));
    const typeMeta = fields(bytesOf(unknown.get(1)?.[0] ?? { kind: 'bytes', value: Buffer.alloc(0) }));
    apiVersion = bytesOf(typeMeta.get(1)?.[0] ?? { kind: 'bytes', value: Buffer.alloc(0) }).toString('utf8');
    kind = bytesOf(typeMeta.get(2)?.[0] ?? { kind: 'bytes', value: Buffer.alloc(0) }).toString('utf8');
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `unable to decode protobuf envelope: ${(err as Error).message}`);
  }
  const type = TYPES[`${apiVersion}/${kind}`];
  if (!type) throw unsupported(`${apiVersion} ${kind}`);
  try {
    return { apiVersion, kind, ...decodeMessage(type, bytesOf(unknown.get(2)?.[0] ?? { kind: 'bytes', value: Buffer.alloc(0) })) };
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `unable to decode protobuf ${kind}: ${(err as Error).message}`);
  }
}
