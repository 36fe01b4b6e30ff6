// The one connection a page keeps to a session's room (docs/realtime.md is the protocol).
import { io } from "/static/vendor/socket.io.esm.min.js";
import { t } from "../shared/i18n.js";

const ACK_TIMEOUT_MS = 10000;

// Server events a page may listen to with `client.on(name, handler)`.
const SERVER_EVENTS = [
  "room:state", "seat:joined", "room:ending", "room:ended", "room:removed", "reaction", "chat:message",
  "chat:deleted", "private:message", "norm:reminder", "rtc:signal", "alert:new",
  "support:resources", "support:update",
];

/**
 * A room connection; a RoomStore (shared/room-store.js) keeps its latest room:state (and the
 * seats that joined the lobby since, from seat:joined). Besides
 * the server's events it reports `status` changes:
 * {status: "connecting" | "connected" | "reconnecting" | "refused" | "closed", code, message}.
 * "reconnecting" is a dropped connection the client is retrying (the seat is kept for a
 * while); "refused" is the server saying no (err.data.code); "closed" is the server ending it.
 */
export class RoomClient {
  constructor(auth) {
    this.status = "connecting";
    this.wasConnected = false;
    this.handlers = new Map();
    this.socket = io({ path: "/socket.io", auth, autoConnect: false });
    for (const name of SERVER_EVENTS) {
      this.socket.on(name, (payload) => this.dispatch(name, payload));
    }
    this.socket.on("connect", () => {
      this.wasConnected = true;
      this.setStatus("connected");
    });
    this.socket.on("disconnect", (reason) => {
      // Only a server-side disconnect is final; anything else is retried by the client.
      this.setStatus(this.socket.active ? "reconnecting" : "closed", reason);
    });
    this.socket.on("connect_error", (err) => {
      if (this.socket.active) {
        this.setStatus(this.wasConnected ? "reconnecting" : "connecting");
      } else {
        this.setStatus("refused", err.data?.code ?? "refused", err.message);
      }
    });
  }

  /** Open the connection; `status` events follow. */
  connect() {
    this.socket.connect();
    return this;
  }

  /** Listen to a server event or to "status"; returns a function that stops listening. */
  on(name, handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(handler);
    return () => this.handlers.get(name).delete(handler);
  }

  /** Send an event; resolves to its acknowledgement (a timeout is a refusal, never a throw). */
  async send(name, payload) {
    try {
      const socket = this.socket.timeout(ACK_TIMEOUT_MS);
      return payload === undefined
        ? await socket.emitWithAck(name)
        : await socket.emitWithAck(name, payload);
    } catch {
      return { ok: false, error: { code: "timeout", message: t("No answer from the server; please try again.") } };
    }
  }

  /** Close the connection for good (after leaving, or when the page goes away). */
  close() {
    this.socket.disconnect();
  }

  setStatus(status, code = null, message = null) {
    this.status = status;
    this.dispatch("status", { status, code, message });
  }

  dispatch(name, payload) {
    for (const handler of this.handlers.get(name) ?? []) handler(payload);
  }
}
