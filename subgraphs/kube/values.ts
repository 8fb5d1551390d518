// How upstream values read in GraphQL, one rule for every domain's mappers.
//
// Optional strings: absent and empty are the same. Go types write unset strings as `""` unless their
// JSON tag says omitempty, and operators differ (linuxptp-daemon writes NodePtpDevice `profile: ""`,
// the SR-IOV config daemon omits an empty `lastSyncError`, a PtpConfig profile may say `interface: ""`),
// so every nullable String field of the schema is null for both, never `""`. A non-null String field
// (names, keys, values a map holds) is passed as written.

/** An optional upstream string: the value, or null when it is absent, not a string, or empty. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
