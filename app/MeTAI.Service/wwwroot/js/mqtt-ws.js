// A minimal MQTT 3.1.1 client over WebSocket (subprotocol "mqtt") for the teleoperation console: CONNECT with user
// name and password, PUBLISH at QoS 0 and 1, SUBSCRIBE, PINGREQ keep-alive, incoming PUBLISH (acknowledged at QoS 1).
// Written here rather than taken from npm: the console needs only these packets, sends 76-byte binary payloads at
// 200 Hz, and must not reconnect or queue behind the operator's back (a lost link has to stop the arm, and it does:
// the controller's 30 ms watchdogs hold it). Packets may span or share WebSocket messages; both are handled.
const enc = new TextEncoder();
const dec = new TextDecoder();

const CONNACK_REASONS = {
  1: "unacceptable protocol version", 2: "client identifier rejected", 3: "server unavailable",
  4: "bad user name or password (expired, forged or wrong-user credential?)", 5: "not authorized",
};

function lengthBytes(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function str(s) {
  const b = enc.encode(s);
  const out = new Uint8Array(2 + b.length);
  out[0] = b.length >> 8; out[1] = b.length & 0xff;
  out.set(b, 2);
  return out;
}

function packet(first, ...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head = [first, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export class MqttClient {
  /**
   * url: ws(s)://…; options: clientId, username, password, keepAliveS (default 10), onMessage(topic, Uint8Array),
   * onClose(reason).
   */
  constructor(url, options) {
    this.url = url;
    this.options = { keepAliveS: 10, ...options };
    this.ws = null;
    this.buffer = new Uint8Array(0);
    this.nextId = 1;
    this.pending = new Map(); // packet id → resolve (SUBACK)
    this.connected = false;
    this.bytesSent = 0;
    this.topicCache = new Map();
  }

  /** Opens the WebSocket and sends CONNECT; resolves on CONNACK 0, rejects with the broker's reason otherwise. */
  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, ["mqtt"]);
      ws.binaryType = "arraybuffer";
      this.ws = ws;
      let settled = false;
      this.onConnack = (rc) => {
        settled = true;
        if (rc === 0) {
          this.connected = true;
          this.ping = setInterval(() => this.send(new Uint8Array([0xc0, 0x00])), this.options.keepAliveS * 500);
          resolve();
        } else {
          reject(new Error(`broker refused the connection: ${CONNACK_REASONS[rc] ?? "code " + rc}`));
          ws.close();
        }
      };
      ws.onopen = () => {
        const o = this.options;
        const flags = 0x80 | 0x40 | 0x02; // user name, password, clean session
        const header = new Uint8Array([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, flags, o.keepAliveS >> 8, o.keepAliveS & 0xff]);
        this.send(packet(0x10, header, str(o.clientId), str(o.username), str(o.password)));
      };
      ws.onmessage = (e) => this.receive(new Uint8Array(e.data));
      ws.onerror = () => { if (!settled) { settled = true; reject(new Error("the WebSocket to the relay failed (refused credential or unreachable broker)")); } };
      ws.onclose = (e) => {
        const was = this.connected;
        this.connected = false;
        clearInterval(this.ping);
        if (!settled) { settled = true; reject(new Error(`the relay closed the connection (${e.code}${e.reason ? " " + e.reason : ""})`)); }
        if (was) this.options.onClose?.(e.reason || `closed (${e.code})`);
      };
    });
  }

  send(bytes) {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(bytes);
    this.bytesSent += bytes.length;
    return true;
  }

  topicBytes(topic) {
    let b = this.topicCache.get(topic);
    if (!b) { b = str(topic); this.topicCache.set(topic, b); }
    return b;
  }

  /** Publishes a binary payload; qos 0 or 1 (QoS 1's PUBACK is not awaited). False when not connected. */
  publish(topic, payload, qos = 0) {
    if (!this.connected) return false;
    if (qos === 0) return this.send(packet(0x30, this.topicBytes(topic), payload));
    const id = this.takeId();
    return this.send(packet(0x32, this.topicBytes(topic), new Uint8Array([id >> 8, id & 0xff]), payload));
  }

  /** Subscribes to [{topic, qos}]; resolves with the granted QoS per filter (0x80: refused by the ACL). */
  subscribe(filters) {
    const id = this.takeId();
    const parts = [new Uint8Array([id >> 8, id & 0xff])];
    for (const f of filters) parts.push(str(f.topic), new Uint8Array([f.qos ?? 0]));
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send(packet(0x82, ...parts));
    });
  }

  /** Sends DISCONNECT and closes. */
  close() {
    if (this.connected) this.send(new Uint8Array([0xe0, 0x00]));
    this.connected = false;
    clearInterval(this.ping);
    this.ws?.close();
  }

  takeId() {
    const id = this.nextId;
    this.nextId = id >= 65535 ? 1 : id + 1;
    return id;
  }

  receive(chunk) {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    let at = 0;
    for (;;) {
      if (joined.length - at < 2) break;
      let len = 0, mul = 1, i = at + 1, complete = false;
      for (; i < joined.length && i < at + 5; i++) {
        len += (joined[i] & 0x7f) * mul;
        mul *= 128;
        if ((joined[i] & 0x80) === 0) { complete = true; i++; break; }
      }
      if (!complete || joined.length < i + len) break;
      this.handle(joined[at], joined.subarray(i, i + len));
      at = i + len;
    }
    this.buffer = joined.slice(at);
  }

  handle(first, body) {
    switch (first >> 4) {
      case 2: this.onConnack?.(body[1]); break; // CONNACK: flags, return code
      case 3: { // PUBLISH
        const qos = (first >> 1) & 3;
        const tlen = (body[0] << 8) | body[1];
        const topic = dec.decode(body.subarray(2, 2 + tlen));
        let at = 2 + tlen;
        if (qos > 0) {
          this.send(new Uint8Array([0x40, 0x02, body[at], body[at + 1]]));
          at += 2;
        }
        this.options.onMessage?.(topic, body.subarray(at));
        break;
      }
      case 9: { // SUBACK
        const id = (body[0] << 8) | body[1];
        const resolve = this.pending.get(id);
        this.pending.delete(id);
        resolve?.(Array.from(body.subarray(2)));
        break;
      }
      default: break; // PUBACK, PINGRESP
    }
  }
}
