// An open-loop load generator at a fixed rate: request i is due at start + i / rate, whatever
// the answers before it did, and its latency counts from when it was due, so a stalled server
// cannot hide its stall by slowing the generator down (coordinated omission). Due requests go
// out every millisecond on whichever keep-alive connection is free.
import { HttpConnection } from './http-connection.mjs';

/** Sends `request` (serialised) `ratePerSecond` times a second for `seconds`; resolves with every latency in ms and the statuses seen. */
export async function sendPaced({ port, request, ratePerSecond, seconds, connections }) {
  const idle = await Promise.all(Array.from({ length: connections }, () => HttpConnection.open(port)));
  const all = [...idle];
  const total = Math.round(ratePerSecond * seconds);
  const intervalMs = 1000 / ratePerSecond;
  const latencies = [];
  const statuses = new Map();
  const queued = [];
  let due = 0;
  const started = performance.now();

  let stopped = false;
  let fail;
  const send = (connection, dueAt) => {
    connection.send(request).then((status) => {
      if (stopped) return;
      latencies.push(performance.now() - dueAt);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const next = queued.shift();
      if (next === undefined) idle.push(connection);
      else send(connection, next);
    }, (error) => fail(error));
  };
  // An answer that never comes must not hold the run: it ends with an error 10 s after its last request was due.
  const deadline = started + seconds * 1000 + 10_000;
  const finished = new Promise((resolve, reject) => {
    fail = (error) => {
      stopped = true;
      reject(error);
    };
    const tick = () => {
      if (stopped) return;
      const now = performance.now();
      for (; due < total && started + due * intervalMs <= now; due += 1) {
        const dueAt = started + due * intervalMs;
        const connection = idle.pop();
        if (connection) send(connection, dueAt);
        else queued.push(dueAt);
      }
      if (latencies.length === total) return resolve();
      if (now > deadline) return fail(new Error(`${total - latencies.length} of ${total} requests unanswered`));
      setTimeout(tick, 1);
    };
    tick();
  });
  try {
    await finished;
  } finally {
    for (const connection of all) connection.close();
  }
  return { latencies, statuses };
}

/** The `fraction` quantile (0.99: p99) of the values, nearest rank. */
export function quantile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
