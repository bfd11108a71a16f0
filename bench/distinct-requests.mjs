// A load generator for requests that differ one from the next (each with its own token), as
// fast as the app answers: autocannon rebuilds such requests one by one and cannot keep a
// server busy, and a server that idles between requests pays more CPU for each. Every request
// is serialised before the clock starts; each connection sends its share one after another
// (keep-alive, no pipelining) and reads each answer whole before the next.
import { connect } from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');

/** Sends GET `path` once per header set over `connections` keep-alive connections; resolves with the statuses seen (status → count). */
export async function sendDistinct({ port, path, headerSets, connections }) {
  const requests = headerSets.map((headers) =>
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`, 'latin1'),
  );
  const statuses = new Map();
  const shares = Array.from({ length: connections }, (_, index) => requests.filter((_, position) => position % connections === index));
  await Promise.all(shares.map((share) => sendInTurn(port, share, statuses)));
  return statuses;
}

function sendInTurn(port, requests, statuses) {
  return new Promise((resolve, reject) => {
    if (requests.length === 0) return resolve();
    const socket = connect(port, '127.0.0.1');
    let next = 0;
    let pending = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(requests[next++]));
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headEnd = pending.indexOf(HEAD_END);
        if (headEnd < 0) return;
        const head = pending.subarray(0, headEnd).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
        if (!Number.isFinite(length)) return reject(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
        if (pending.length < headEnd + 4 + length) return;
        const status = Number(head.slice(9, 12));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        pending = pending.subarray(headEnd + 4 + length);
        if (next === requests.length) {
          socket.end();
          return resolve();
        }
        socket.write(requests[next++]);
      }
    });
    socket.on('error', reject);
  });
}
