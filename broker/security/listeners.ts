// The broker's listeners, as Kafka names and validates them (KafkaConfig.validateValues,
// CoreUtils.listenerListToEndPoints, SocketServerConfigs.listenerListToEndPoints):
//
//   listeners=PLAINTEXT://:9092,SSL://:9093,INTERNAL://127.0.0.1:9094
//   listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,...   (default: each protocol maps to itself)
//   advertised.listeners=PLAINTEXT://kafka.example:9092,...     (default: listeners)
//   inter.broker.listener.name / security.inter.broker.protocol  (checked, then unused: one process)
//   controller.listener.names                                      (not opened: no separate quorum)
//
// Every simulated node gets every listener (node i binds each listener's port + i, or a free
// port when the port is 0). A connection knows the listener it came in on (ConnectionInfo's
// listenerName/securityProtocol, broker/handler.ts), and Metadata, FindCoordinator,
// DescribeCluster and the leader hints of Produce/Fetch answer with that listener's advertised
// addresses, Kafka's rule (MetadataCache.getAliveBrokerNodes(listenerName)).

import type { BrokerConfig } from '../../config/index.js';
import { ConfigError } from '../../protocol/errors.js';
import type { NodeInfo } from '../cluster.js';
import type { ConnectionInfo } from '../handler.js';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

/** One client listener: where it binds and what it advertises. */
export interface ListenerSpec {
  /** Kafka's normalised (upper-case) listener name. */
  readonly name: string;
  readonly protocol: SecurityProtocol;
  /** Address to bind ('0.0.0.0' for Kafka's empty host). */
  readonly bindHost: string;
  /** Port of the first node (0: a free one per node). */
  readonly port: number;
  /** Host advertised to clients. */
  readonly advertisedHost: string;
  /** Port advertised for the first node, when advertised.listeners (or advertisedPort) fixes one. */
  readonly advertisedPort?: number;
}

/** startBroker({ listeners }): one entry per listener, instead of the `listeners` config. */
export interface ListenerOption {
  /** Listener name (default: the protocol's name). */
  name?: string;
  /** Security protocol (default: listener.security.protocol.map for the name, else PLAINTEXT). */
  protocol?: SecurityProtocol;
  /** Port of the first node (default 0: a free one). */
  port?: number;
  /** Address to bind (default: startBroker's host, 127.0.0.1). */
  host?: string;
  /** Host advertised in Metadata (default: the bind host). */
  advertisedHost?: string;
  /** Port advertised for the first node (default: the bound port). */
  advertisedPort?: number;
}

/** A listener as startBroker() hands it back: `broker.listeners`. */
export interface BrokerListener {
  readonly name: string;
  readonly protocol: SecurityProtocol;
  /** 'host:port' of the first node on this listener, for bootstrap.servers. */
  readonly bootstrap: string;
  /** Bound port of the first node. */
  readonly port: number;
  /** Bound port of each node, in node order (startBroker({ nodePorts }) binds them again). */
  readonly ports: readonly number[];
  readonly host: string;
}

export function isSsl(protocol: SecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function isSasl(protocol: SecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

interface Endpoint {
  name: string;
  protocol: SecurityProtocol;
  host: string | null;
  port: number;
}

/** Kafka's Csv.parseCsvList: comma-separated, trimmed, empty entries dropped. */
function csv(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function protocolOf(name: string, key: string): SecurityProtocol {
  const p = name.trim().toUpperCase();
  if ((SECURITY_PROTOCOLS as readonly string[]).includes(p)) return p as SecurityProtocol;
  throw new ConfigError(key, `Invalid security protocol \`${name.trim()}\` defined in ${key}`);
}

/** listener.security.protocol.map with Kafka's default and its KRaft rule for controller listeners. */
export function securityProtocolMap(config: BrokerConfig): Map<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>();
  const raw = config.get('listener.security.protocol.map');
  if (raw === undefined) {
    for (const p of SECURITY_PROTOCOLS) map.set(p, p);
    // KafkaConfig.effectiveListenerSecurityProtocolMap: with the default map and no SSL/SASL
    // listener, controller listener names map to PLAINTEXT.
    const names = csv(config.str('listeners')).map((l) => l.slice(0, Math.max(0, l.indexOf(':'))).toUpperCase());
    const controllers = config.list('controller.listener.names');
    const secure = (n: string) => n === 'SSL' || n === 'SASL_SSL' || n === 'SASL_PLAINTEXT';
    if (!controllers.some(secure) && !names.some(secure)) for (const c of controllers) if (!map.has(c)) map.set(c, 'PLAINTEXT');
    return map;
  }
  for (const entry of csv(raw)) {
    const i = entry.indexOf(':');
    if (i < 0)
      throw new ConfigError('listener.security.protocol.map', `Map entry '${entry}' is improperly formatted: expected NAME:PROTOCOL`);
    map.set(entry.slice(0, i).trim().toUpperCase(), protocolOf(entry.slice(i + 1), 'listener.security.protocol.map'));
  }
  return map;
}

/** SocketServerConfigs.URI_PARSE_REGEXP, matched whole as Java's matches() does. */
const URI = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

function endpoints(key: string, value: string, map: Map<string, SecurityProtocol>, distinctPorts: boolean): Endpoint[] {
  const fail = (message: string): never => {
    throw new ConfigError(key, `Error creating broker listeners from '${value}': ${message}`);
  };
  const out: Endpoint[] = [];
  for (const entry of csv(value.trim())) {
    const m = URI.exec(entry);
    if (!m) fail(`Unable to parse ${entry} to a broker endpoint`);
    const name = m![1]!.toUpperCase();
    const protocol = map.get(name) ?? fail(`No security protocol defined for listener ${name}`);
    out.push({ name, protocol, host: m![2] === '' ? null : m![2]!, port: Number(m![3]) });
  }
  if (new Set(out.map((e) => e.name)).size !== out.length)
    throw new ConfigError(key, `Each listener must have a different name, listeners: ${value}`);
  if (distinctPorts) {
    // Port 0 may repeat (tests); Kafka also lets one IPv4 and one IPv6 literal share a port.
    const byPort = new Map<number, Endpoint[]>();
    for (const e of out) if (e.port !== 0) byPort.set(e.port, [...(byPort.get(e.port) ?? []), e]);
    for (const [port, eps] of byPort) {
      if (eps.length < 2) continue;
      const ip = eps.filter((e) => e.host !== null && /^[0-9.]+$|:/.test(e.host));
      const v4 = ip.filter((e) => !e.host!.includes(':')).length;
      if (eps.length === 2 && ip.length === 2 && v4 === 1) continue;
      if (ip.length === eps.length)
        throw new ConfigError(
          key,
          `If you have two listeners on the same port then one needs to be IPv4 and the other IPv6, listeners: ${value}, port: ${port}`,
        );
      throw new ConfigError(key, `Each listener must have a different port, listeners: ${value}`);
    }
  }
  return out;
}

/** What startBroker() adds over the config: its host/port options, or whole listeners. */
export interface ListenerOverrides {
  host?: string;
  port?: number;
  advertisedHost?: string;
  advertisedPort?: number;
  listeners?: readonly ListenerOption[];
  /** Protocol of the in-process default listener (startBroker({ security })): PLAINTEXT unless set. */
  defaultProtocol?: SecurityProtocol;
}

/**
 * The client listeners to open, validated with Kafka's messages. Without `listeners` in the
 * config or options, one listener on 127.0.0.1, port 0 (the in-process default) named after
 * `defaultProtocol`.
 */
export function resolveListeners(config: BrokerConfig, o: ListenerOverrides = {}): ListenerSpec[] {
  const map = securityProtocolMap(config);
  const controllers = new Set(config.list('controller.listener.names').map((n) => n.toUpperCase()));
  let specs: ListenerSpec[];
  if (o.listeners) {
    if (o.listeners.length === 0) throw new ConfigError('listeners', 'startBroker: listeners must name at least one listener');
    specs = o.listeners.map((l) => {
      const name = (l.name ?? l.protocol ?? 'PLAINTEXT').toUpperCase();
      const protocol = l.protocol ?? map.get(name) ?? 'PLAINTEXT';
      if (!SECURITY_PROTOCOLS.includes(protocol)) protocolOf(protocol, 'listeners');
      const bindHost = l.host ?? o.host ?? '127.0.0.1';
      return {
        name,
        protocol,
        bindHost,
        port: l.port ?? 0,
        advertisedHost: l.advertisedHost ?? o.advertisedHost ?? advertisable(bindHost),
        advertisedPort: l.advertisedPort,
      };
    });
    if (new Set(specs.map((s) => s.name)).size !== specs.length)
      throw new ConfigError('listeners', `Each listener must have a different name, listeners: ${specs.map((s) => s.name).join(',')}`);
  } else if (config.has('listeners')) {
    const all = endpoints('listeners', config.str('listeners'), map, true);
    const listenerNames = all.map((e) => e.name);
    const clients = all.filter((e) => !controllers.has(e.name));
    const advertised = config.has('advertised.listeners')
      ? endpoints('advertised.listeners', config.str('advertised.listeners'), map, false).filter((e) => !controllers.has(e.name))
      : clients;
    const advertisedNames = [...new Set(advertised.map((e) => e.name))];
    const missing = advertisedNames.filter((n) => !listenerNames.includes(n));
    if (missing.length > 0)
      throw new ConfigError(
        'advertised.listeners',
        `advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found ${advertisedNames.join(',')}. ` +
          `The valid options based on the current configuration are ${listenerNames.join(',')}`,
      );
    if (advertised.some((e) => e.host === '0.0.0.0'))
      throw new ConfigError(
        'advertised.listeners',
        'advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.',
      );
    checkInterBroker(config, map, advertisedNames);
    if (clients.length === 0)
      throw new ConfigError('listeners', `no client listener: every listener of ${config.str('listeners')} is a controller listener`);
    specs = clients.map((e, i) => {
      const a = advertised.find((x) => x.name === e.name) ?? e;
      const bindHost = o.host ?? e.host ?? '0.0.0.0';
      return {
        name: e.name,
        protocol: e.protocol,
        bindHost,
        // startBroker({ port }) moves the first listener only.
        port: i === 0 && o.port !== undefined ? o.port : e.port,
        // An empty host or 0.0.0.0 binds every interface: advertise 'localhost' unless advertised.listeners says otherwise.
        advertisedHost: o.advertisedHost ?? (a.host === null || a.host === '0.0.0.0' ? 'localhost' : a.host),
        advertisedPort:
          i === 0 && o.advertisedPort !== undefined ? o.advertisedPort : config.has('advertised.listeners') ? a.port : undefined,
      };
    });
  } else {
    const protocol = o.defaultProtocol ?? 'PLAINTEXT';
    const host = o.host ?? '127.0.0.1';
    // advertised.listeners alone keeps the in-process bind and advertises its first client entry.
    const a = config.has('advertised.listeners')
      ? endpoints('advertised.listeners', config.str('advertised.listeners'), map, false).find((e) => !controllers.has(e.name))
      : undefined;
    specs = [
      {
        name: a?.name ?? protocol,
        protocol: a?.protocol ?? protocol,
        bindHost: host,
        port: o.port ?? 0,
        advertisedHost: o.advertisedHost ?? (a ? (a.host === null || a.host === '0.0.0.0' ? 'localhost' : a.host) : advertisable(host)),
        advertisedPort: o.advertisedPort ?? a?.port,
      },
    ];
  }
  return specs;
}

function advertisable(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

/** inter.broker.listener.name / security.inter.broker.protocol: checked as Kafka checks them, then unused. */
function checkInterBroker(config: BrokerConfig, map: Map<string, SecurityProtocol>, advertisedNames: string[]): void {
  const nameKey = 'inter.broker.listener.name';
  const protoKey = 'security.inter.broker.protocol';
  let name: string;
  if (config.has(nameKey)) {
    if (config.has(protoKey)) throw new ConfigError(nameKey, `Only one of ${nameKey} and ${protoKey} should be set.`);
    name = config.str(nameKey).trim().toUpperCase();
    if (!map.has(name))
      throw new ConfigError(nameKey, `Listener with name ${name} defined in ${nameKey} not found in listener.security.protocol.map.`);
  } else {
    name = protocolOf(config.has(protoKey) ? config.str(protoKey) : 'PLAINTEXT', protoKey);
  }
  if (!advertisedNames.includes(name))
    throw new ConfigError(
      nameKey,
      `${nameKey} must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are ${advertisedNames.join(',')}`,
    );
}

/** The address a client on `connection`'s listener is told for `node` (Kafka answers per listener). */
export function advertisedAddress(node: NodeInfo, connection: ConnectionInfo | undefined): { host: string; port: number } {
  const e = connection?.listenerName !== undefined ? node.endpoints?.get(connection.listenerName) : undefined;
  return e ?? { host: node.host, port: node.port };
}
