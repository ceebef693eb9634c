// A real Kafka 4.4 and an in-process kafkalite side by side, each with a PLAINTEXT and a
// SASL_PLAINTEXT listener and the same broker config, for the v44 files that compare SASL
// behaviour (v44-sasl.test.ts, v44-delegation-tokens.test.ts). Kafka starts while kafkalite does.

import { startBroker, type Broker } from '../../broker/index.js';
import { freePort, startKafka, type RealKafka } from '../jvm/kafka.js';

export interface SaslPair {
  kafka: RealKafka;
  broker: Broker;
  /** Kafka's SASL_PLAINTEXT address (its `bootstrap` is the PLAINTEXT one). */
  kafkaSasl: string;
  stop(): Promise<void>;
}

export async function startSaslPair(config: Record<string, string | number | boolean>): Promise<SaslPair> {
  const saslPort = await freePort();
  const kafkaStarted = startKafka({
    config: ({ port, controllerPort }) => ({
      listeners: `PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      ...config,
    }),
  });
  const broker = await startBroker({
    listeners: [{ name: 'PLAINTEXT' }, { name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' }],
    config,
  });
  const kafka = await kafkaStarted.catch(async (err: unknown) => {
    await broker.stop();
    throw err;
  });
  return {
    kafka,
    broker,
    kafkaSasl: `127.0.0.1:${saslPort}`,
    async stop() {
      await broker.stop();
      await kafka.stop();
    },
  };
}
