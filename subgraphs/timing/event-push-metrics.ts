// /metrics of the PTP event push (event-push.ts), read from its counters at scrape time.
import { Counter, Gauge, Registry } from 'prom-client';
import type { PtpEventPush } from './event-push.js';

export function eventPushMetrics(push: PtpEventPush): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'fleetgraph_ptp_event_push_nodes',
    help: 'Nodes whose cloud-event-proxy holds our subscriptions (PTP events pushed to the timing subgraph)',
    registers: [registry],
    collect() {
      this.set(push.stats().nodesRegistered);
    },
  });
  new Counter({
    name: 'fleetgraph_ptp_event_push_registration_failures_total',
    help: 'Nodes whose cloud-event-proxy subscriptions could not be made (retried later; the cluster is polled meanwhile)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(push.stats().registrationFailures);
    },
  });
  new Counter({
    name: 'fleetgraph_ptp_event_callbacks_total',
    help: 'PTP events: accepted (woke a cluster\'s poll here, also when another replica passed it on), relayed (another replica holds the token: passed on through Redis), unknown_token (refused)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = push.stats();
      this.reset();
      this.inc({ outcome: 'accepted' }, s.eventsReceived);
      this.inc({ outcome: 'relayed' }, s.eventsRelayed);
      this.inc({ outcome: 'unknown_token' }, s.unknownTokens);
    },
  });
  return registry;
}
