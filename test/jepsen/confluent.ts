// The checker's second client implementation: confluent-kafka (librdkafka) producers in their own
// Python process (the venv's, test/python/venv.ts), idempotent or transactional, acks=all. They
// live through every broker kill (librdkafka reconnects and retries on its own) and print what
// they were told, one line each, flushed as it comes:
//   A <partition> <offset> <value>   acknowledged (idempotent)
//   D <partition> <offset> <value>   delivered inside a transaction (not yet an acknowledgement)
//   F <value> <error>                the send failed
//   T <id> <C|A|U> <v1,v2,...>       a transaction committed, aborted without asking to commit, or a commit that failed
//   X <what>                         a client event (fatal error, producer recreated)
// Closing stdin stops it: it finishes the open transaction, flushes and exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { venvInterpreter } from '../python/venv.js';
import { countEvent, type History, recordOffset } from './history.js';

const PROGRAM = `
import sys, threading, random, time
from confluent_kafka import Producer, KafkaException
bs, name, mode, seed, topic, parts = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
rnd = random.Random(seed)
lock = threading.Lock()
def out(*a):
    with lock:
        sys.stdout.write(' '.join(str(x) for x in a) + '\\n')
        sys.stdout.flush()
fatal = threading.Event()
def on_error(err):
    if err.fatal():
        fatal.set()
        out('X', 'fatal-' + err.name())
conf = {'bootstrap.servers': bs, 'enable.idempotence': True, 'acks': 'all', 'linger.ms': 2,
        'message.timeout.ms': 30000, 'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 500,
        'retry.backoff.ms': 50, 'error_cb': on_error}
if mode == 'txn':
    conf['transactional.id'] = name
    conf['transaction.timeout.ms'] = 60000
n = 0
def next_value():
    global n
    v = '%s-%d' % (name, n)
    part = n % parts
    n += 1
    return v, part
def report(kind):
    def cb(err, msg):
        v = msg.value().decode()
        if err is None:
            out(kind, msg.partition(), msg.offset(), v)
        else:
            out('F', v, err.name())
    return cb
def make():
    fatal.clear()
    p = Producer(conf)
    if mode == 'txn':
        while not stop.is_set():
            try:
                p.init_transactions(10)
                break
            except KafkaException as e:
                out('X', 'init-' + e.args[0].name())
                if e.args[0].fatal():
                    p = Producer(conf)
                time.sleep(0.2)
    return p
p = make()
if mode == 'idem':
    while not stop.is_set():
        if fatal.is_set():
            p.flush(5)
            out('X', 'recreated')
            p = make()
        v, part = next_value()
        while True:
            try:
                p.produce(topic, v.encode(), partition=part, on_delivery=report('A'))
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
        time.sleep(0.004)
    p.flush(60)
else:
    t = 0
    while not stop.is_set():
        t += 1
        vals = []
        committing = False
        try:
            p.begin_transaction()
            for i in range(rnd.randint(1, 5)):
                v, part = next_value()
                vals.append(v)
                p.produce(topic, v.encode(), partition=part, on_delivery=report('D'))
                p.poll(0)
            if rnd.random() < 0.2:
                p.abort_transaction(30)
                out('T', t, 'A', ','.join(vals))
            else:
                committing = True
                while True:
                    try:
                        p.commit_transaction(30)
                        break
                    except KafkaException as e:
                        if not e.args[0].retriable():
                            raise
                out('T', t, 'C', ','.join(vals))
        except KafkaException as e:
            err = e.args[0]
            out('T', t, 'U' if committing else 'A', ','.join(vals))
            out('X', 'txn-' + err.name())
            if err.txn_requires_abort():
                try:
                    p.abort_transaction(30)
                except KafkaException as e2:
                    out('X', 'abort-' + e2.args[0].name())
                    p = make()
            else:
                p = make()
        time.sleep(0.01)
    p.flush(30)
out('X', 'done')
`;

export interface ConfluentProducer {
  name: string;
  /** Close stdin and wait for the program to finish. */
  stop(): Promise<void>;
  child: ChildProcess;
}

export async function startConfluentProducer(
  h: History,
  o: { bootstrap: string; name: string; mode: 'idem' | 'txn'; seed: number; topic: string; partitions: number },
): Promise<ConfluentProducer> {
  const py = await venvInterpreter();
  const child = spawn(py, ['-c', PROGRAM, o.bootstrap, o.name, o.mode, String(o.seed), o.topic, String(o.partitions)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let buf = '';
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  child.stdout!.on('data', (d) => {
    buf += d;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      line(h, buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name: o.name,
    child,
    stop: async () => {
      child.stdin!.end();
      const code = await exited;
      if (code !== 0) throw new Error(`confluent producer ${o.name} exited ${code}: ${err}`);
    },
  };
}

function line(h: History, text: string): void {
  const f = text.split(' ');
  switch (f[0]) {
    case 'A':
      recordOffset(h, Number(f[1]), Number(f[2]), f[3]!);
      h.acked.set(f[3]!, { partition: Number(f[1]), offset: Number(f[2]) });
      break;
    case 'D':
      recordOffset(h, Number(f[1]), Number(f[2]), f[3]!);
      break;
    case 'F':
      h.failed.add(f[1]!);
      countEvent(h, `confluent send failed: ${f[2]}`);
      break;
    case 'T': {
      const values = (f[3] ?? '').split(',').filter((v) => v !== '');
      const set = f[2] === 'C' ? h.committed : f[2] === 'A' ? h.aborted : h.unknown;
      for (const v of values) set.add(v);
      if (f[2] !== 'C') countEvent(h, `confluent transaction ${f[2] === 'A' ? 'aborted' : 'commit failed'}`);
      break;
    }
    case 'X':
      if (f[1] !== 'done') countEvent(h, `confluent ${f[1]}`);
      break;
  }
}
