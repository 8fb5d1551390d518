// A JSON value kept as the text a subgraph sent (the single-fetch pass-through's `data`), written into
// the response as it is by `stringifyResult` (Apollo Server's option) instead of parsed and serialised
// again: on the bench's distinct queries that parse and stringify were ~15 % of the gateway's CPU.
// Anything else that serialises it (JSON.stringify) gets the parsed value through toJSON.
import type { FormattedExecutionResult } from 'graphql';

export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

const DATA_PREFIX = '{"data":';

/**
 * The text of `data` when `body` is a subgraph's `{"data":…}` and nothing else; undefined otherwise.
 * The subgraph said so (lib/data-only.ts); the scan for other top-level keys guards against a plugin
 * that adds errors or extensions after that (a false alarm only means the body is parsed).
 */
export function dataText(body: string): string | undefined {
  let end = body.length;
  while (end > 0 && (body.charCodeAt(end - 1) === 10 || body.charCodeAt(end - 1) === 13 || body.charCodeAt(end - 1) === 32)) end--;
  if (!body.startsWith(DATA_PREFIX) || body.charCodeAt(end - 1) !== 125 /* } */ || end <= DATA_PREFIX.length + 1) return undefined;
  if (body.includes('"errors"') || body.includes('"extensions"')) return undefined;
  return body.slice(DATA_PREFIX.length, end - 1);
}

/** Apollo Server's own serialisation (JSON + newline), with a RawJson `data` written as its text. */
export function stringifyResult(value: FormattedExecutionResult): string {
  if (!(value.data instanceof RawJson)) return `${JSON.stringify(value)}\n`;
  const parts: string[] = [];
  if (value.errors !== undefined) parts.push(`"errors":${JSON.stringify(value.errors)}`);
  parts.push(`"data":${(value.data as RawJson).text}`);
  if (value.extensions !== undefined) parts.push(`"extensions":${JSON.stringify(value.extensions)}`);
  return `{${parts.join(',')}}\n`;
}
