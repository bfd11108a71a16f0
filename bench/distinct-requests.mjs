// A load generator for requests that differ one from the next (each with its own token), as
// fast as the app answers: autocannon rebuilds such requests one by one and cannot keep a
// server busy, and a server that idles between requests pays more CPU for each. Every request
// is serialised before the clock starts; each connection sends its share one after another.
import { HttpConnection, serialisedGet } from './http-connection.mjs';

/** Sends GET `path` once per header set over `connections` keep-alive connections; resolves with the statuses seen (status → count). */
export async function sendDistinct({ port, path, headerSets, connections }) {
  const requests = headerSets.map((headers) => serialisedGet({ port, path, headers }));
  const statuses = new Map();
  const shares = Array.from({ length: connections }, (_, index) => requests.filter((_, position) => position % connections === index));
  await Promise.all(
    shares.map(async (share) => {
      if (share.length === 0) return;
      const connection = await HttpConnection.open(port);
      try {
        for (const request of share) {
          const status = await connection.send(request);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      } finally {
        connection.close();
      }
    }),
  );
  return statuses;
}
