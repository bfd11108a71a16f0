// One keep-alive HTTP/1.1 connection that sends serialised requests one at a time (no
// pipelining) and resolves each with the answer's status once the answer is read whole. The
// benchmark's load generators use it instead of an HTTP client, so the requests they send are
// built before the clock starts and the generator costs little CPU of its own.
import { connect } from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');

/** `GET path` with the given headers, as bytes ready to write. */
export function serialisedGet({ port, path, headers = {} }) {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${lines}\r\n`, 'latin1');
}

export class HttpConnection {
  #socket;
  #pending = Buffer.alloc(0);
  #waiting;

  /** Resolves once connected to 127.0.0.1:`port`. */
  static open(port) {
    return new Promise((resolve, reject) => {
      const connection = new HttpConnection(connect(port, '127.0.0.1'));
      connection.#socket.once('connect', () => resolve(connection));
      connection.#socket.once('error', reject);
    });
  }

  constructor(socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#read(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the connection closed before the answer')));
  }

  /** Sends one serialised request; resolves with the answer's status code. */
  send(request) {
    if (this.#waiting) return Promise.reject(new Error('one request at a time on a connection'));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(request);
    });
  }

  close() {
    this.#socket.end();
  }

  /** The request waiting fails; the connection is of no further use. */
  #fail(error) {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    this.#pending = Buffer.alloc(0);
    this.#socket.destroy();
    waiting?.reject(error);
  }

  #read(chunk) {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const headEnd = this.#pending.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.#pending.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
    if (!Number.isFinite(length)) return this.#fail(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
    const waiting = this.#waiting;
    if (this.#pending.length < headEnd + 4 + length) return;
    this.#pending = this.#pending.subarray(headEnd + 4 + length);
    this.#waiting = undefined;
    waiting?.resolve(Number(head.slice(9, 12)));
  }
}
