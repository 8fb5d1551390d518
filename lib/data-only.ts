// A subgraph tells its gateway that an HTTP answer's body is exactly `{"data": …}` (no errors, no
// extensions), so the gateway's single-fetch pass-through can hand that `data` to the client as text,
// without parsing and re-serialising it (gateway/raw-json.ts). Absent: the gateway parses as usual.
export const DATA_ONLY_HEADER = 'x-fleetgraph-data-only';
