// The registry of groups and upstream streams. Two levels of sharing:
//   upstream stream key = subgraph + URL + primary operation (name stripped) + primary variables + scope
//   group key           = scope + client operation (name + text) + all variables
// so 1,000 dashboards with the same subscription cost one upstream stream and one `rest` execution
// per event, and different selections over the same upstream event still share the stream.
import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import type { Principal } from './auth.js';
import { SubscriptionErrorCode, formatError, subscriptionError } from './errors.js';
import type { SubscriptionMetrics } from './metrics.js';
import { checkVariables, prepareSubscription, primaryVariables, type PreparedSubscription } from './prepare.js';
import { stableJson } from './stable-json.js';
import { SubscriptionGroup, type GroupMember } from './subscription-group.js';
import type { SupergraphSnapshot } from './supergraph-snapshot.js';
import type { UpstreamClients } from './upstream-clients.js';
import { UpstreamStream } from './upstream-stream.js';
import { log } from '../../lib/log.js';

export type DataSourceFactory = (serviceName: string, url: string) => GraphQLDataSource;

export interface HubDeps {
  clients: UpstreamClients;
  dataSource: DataSourceFactory;
  metrics: SubscriptionMetrics;
  maxPendingEventsPerGroup: number;
}

export interface JoinRequest {
  prepared: PreparedSubscription;
  variables: Record<string, unknown>;
  principal: Principal;
}

export class SubscriptionHub {
  private readonly groups = new Map<string, SubscriptionGroup>();
  private readonly upstreams = new Map<string, UpstreamStream>();
  private readonly memberGroups = new WeakMap<GroupMember, SubscriptionGroup>();
  private readonly serviceMaps = new WeakMap<SupergraphSnapshot, ServiceMap>();

  constructor(
    public snapshot: SupergraphSnapshot,
    private readonly deps: HubDeps,
  ) {}

  get upstreamCount(): number {
    return this.upstreams.size;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /**
   * Adds a member to the group of its operation, creating the group and its upstream stream when
   * needed. Returns errors instead when the operation was prepared on a supergraph that has since
   * been replaced and is no longer valid.
   */
  join(member: GroupMember, request: JoinRequest): readonly ReturnType<typeof formatError>[] | null {
    let { prepared } = request;
    const { variables, principal } = request;
    if (prepared.snapshot !== this.snapshot) {
      const again = prepareSubscription(this.snapshot, prepared.query, prepared.operationName);
      const errors = again.prepared ? checkVariables(again.prepared, variables) : again.errors;
      if (!again.prepared || errors.length > 0) return errors.map(formatError);
      prepared = again.prepared;
    }
    const key = `${principal.scope}\u0000${prepared.operationName ?? ''}\u0000${prepared.query}\u0000${stableJson(variables)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = new SubscriptionGroup(key, prepared, variables, principal, {
        metrics: this.deps.metrics,
        dataSources: (p) => this.serviceMap(p.snapshot),
        maxPendingEvents: this.deps.maxPendingEventsPerGroup,
        onEnded: (g) => this.forgetGroup(g),
      });
      this.groups.set(key, group);
      group.attach(this.upstreamFor(prepared, variables, principal));
    }
    group.add(member);
    this.memberGroups.set(member, group);
    return null;
  }

  leave(member: GroupMember): void {
    const group = this.memberGroups.get(member);
    if (!group) return;
    this.memberGroups.delete(member);
    if (group.remove(member)) {
      group.detach();
      this.forgetGroup(group);
    }
  }

  /**
   * A new supergraph: every group is re-planned. Still valid and same primary fetch → it keeps its
   * upstream stream and only its `rest` plan changes; valid with a different primary fetch (or a
   * moved subgraph) → it moves to the new upstream stream; no longer valid → its members get a
   * SUBSCRIPTION_SCHEMA_RELOAD error. New subscriptions are planned on the new supergraph.
   */
  reload(next: SupergraphSnapshot): void {
    this.snapshot = next;
    for (const group of [...this.groups.values()]) {
      const { query, operationName } = group.prepared;
      const again = prepareSubscription(next, query, operationName);
      const errors = again.prepared ? checkVariables(again.prepared, group.variables) : again.errors;
      if (!again.prepared || errors.length > 0) {
        const detail = errors.map((e) => e.message).join(' ');
        group.end([
          formatError(
            subscriptionError(
              SubscriptionErrorCode.SUBSCRIPTION_SCHEMA_RELOAD,
              `The supergraph changed and this subscription is no longer valid: ${detail}`,
            ),
          ),
        ]);
        continue;
      }
      const upstreamKey = this.upstreamKey(again.prepared, group.variables, group.principal);
      group.prepared = again.prepared;
      if (upstreamKey !== group.upstreamKey) group.attach(this.upstreamFor(again.prepared, group.variables, group.principal));
    }
    log.info({ generation: next.generation, groups: this.groups.size, upstreams: this.upstreams.size }, 'subscriptions moved to new supergraph');
  }

  private forgetGroup(group: SubscriptionGroup): void {
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
  }

  private upstreamKey(prepared: PreparedSubscription, variables: Record<string, unknown>, principal: Principal): string {
    const service = prepared.primary.serviceName;
    return [
      service,
      prepared.snapshot.webSocketUrl(service),
      prepared.upstreamOperation,
      stableJson(primaryVariables(prepared, variables)),
      principal.scope,
    ].join('\u0000');
  }

  private upstreamFor(prepared: PreparedSubscription, variables: Record<string, unknown>, principal: Principal): UpstreamStream {
    const key = this.upstreamKey(prepared, variables, principal);
    let stream = this.upstreams.get(key);
    if (!stream) {
      const service = prepared.primary.serviceName;
      const url = prepared.snapshot.webSocketUrl(service);
      stream = new UpstreamStream(
        key,
        service,
        this.deps.clients.get(service, url),
        {
          query: prepared.primary.operation,
          operationName: prepared.primary.operationName,
          variables: primaryVariables(prepared, variables),
        },
        this.deps.metrics,
        (s) => {
          if (this.upstreams.get(s.key) === s) this.upstreams.delete(s.key);
        },
      );
      this.upstreams.set(key, stream);
    }
    return stream;
  }

  private serviceMap(snapshot: SupergraphSnapshot): ServiceMap {
    let map = this.serviceMaps.get(snapshot);
    if (!map) {
      map = Object.create(null) as ServiceMap;
      for (const [name, url] of snapshot.subgraphUrls) map[name] = this.deps.dataSource(name, url);
      this.serviceMaps.set(snapshot, map);
    }
    return map;
  }
}
