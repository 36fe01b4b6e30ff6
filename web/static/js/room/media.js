// WebRTC between the seats of the room: a full mesh with the "perfect negotiation" pattern,
// signalled over `rtc:signal`. What is sent follows the person's way of taking part; what is
// played follows the room state (room.js), so a seat that may not publish is not heard.
// Where the group relays media, every connection uses TURN candidates alone, and no connection
// is made before the server said so: an unknown policy never becomes a direct one.

// Every open peer connection by remote seat id, for diagnostics (tests read it through import()).
const registry = new Map();

/** The open peer connections by remote seat id. */
export function connections() {
  return registry;
}

const OFFER_RETRY_MS = 3000;

export class Mesh {
  /**
   * `onRemote(seatId, MediaStream | null)` is told when a seat's incoming media changes;
   * `onRelay(status)` when relayed media is "unavailable", has "failed" or is "connected" again.
   */
  constructor(client, store, { localStream, onRemote, onRelay = () => {} }) {
    this.client = client;
    this.store = store;
    this.stream = localStream;
    this.onRemote = onRemote;
    this.onRelay = onRelay;
    this.peers = new Map();
    // The media this side sends: the seat's `sends`, changed here first when the person moves
    // to a quieter way of taking part (a state still carrying the old one must not undo it).
    this.sends = null;
    this.rtcConfig = null;
    this.relay = null;
    this.icePromise = null;
    this.resetAll = false;
    this.closed = false;
    this.off = [
      client.on("rtc:signal", (message) => this.onSignal(message)),
      client.on("status", ({ status }) => {
        // After a dropped connection every peer starts afresh once the seat is back. The
        // server's first state can arrive just before "connected", so look at it again then.
        // The settings are asked for again too: fresh TURN credentials, and the group's relaying now.
        if (status === "reconnecting") {
          this.resetAll = true;
          this.icePromise = null;
        }
        else if (status === "connected" && this.store.state) this.update();
      }),
    ];
  }

  /** Follow the store's latest room state: connect to the seats in the room, drop the others. */
  update() {
    this.sends ??= this.store.you?.sends ?? null;
    const wanted = this.wantedSeats();
    if (this.resetAll && this.client.status === "connected") {
      this.resetAll = false;
      for (const seatId of [...this.peers.keys()]) this.drop(seatId);
    }
    for (const seatId of [...this.peers.keys()]) if (!wanted.has(seatId)) this.drop(seatId);
    if (wanted.size) {
      this.loadIce().then(() => {
        if (this.closed || !this.mayConnect()) return;
        // The lower seat id offers first; the other side answers (no glare on the first offer).
        const me = this.store.you?.seat_id;
        for (const seatId of this.wantedSeats()) if (!this.peers.has(seatId) && me < seatId) this.create(seatId, true);
      });
    }
    this.applyGates();
  }

  /** Send `sends` (a way of taking part's media) from `stream`: add or remove tracks, then renegotiate. */
  setMedia(sends, stream) {
    this.sends = sends;
    this.stream = stream;
    for (const peer of this.peers.values()) this.syncSenders(peer);
    this.applyGates();
  }

  close() {
    this.closed = true;
    for (const off of this.off) off();
    for (const seatId of [...this.peers.keys()]) this.drop(seatId);
  }

  wantedSeats() {
    const state = this.store.state;
    const me = state?.you;
    if (!me || me.where !== "room" || state.phase !== "open" || this.client.status !== "connected") return new Set();
    return new Set(
      state.seats
        .filter((s) => s.seat_id !== me.seat_id && s.where === "room" && s.presence === "connected")
        .map((s) => s.seat_id),
    );
  }

  loadIce() {
    this.icePromise ??= this.client.send("rtc:config").then((ack) => {
      if (!ack.ok) {
        this.icePromise = null;
        return;
      }
      this.rtcConfig = { iceServers: ack.ice_servers, iceTransportPolicy: ack.ice_transport_policy };
      this.relay = ack.relay;
      if (ack.relay === "unavailable") this.onRelay("unavailable");
    });
    return this.icePromise;
  }

  /** Whether peer connections may be made: the server's settings are known, and relaying (if asked) is possible. */
  mayConnect() {
    return this.rtcConfig !== null && this.relay !== "unavailable";
  }

  /** Each own track is enabled only while the room state lets this seat publish it. */
  applyGates() {
    const me = this.store.you;
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = Boolean(me?.may_publish_audio && !me.away);
    for (const track of this.stream?.getVideoTracks() ?? []) track.enabled = Boolean(me?.may_publish_video && !me.away);
  }

  create(seatId, initiator = false) {
    const pc = new RTCPeerConnection(this.rtcConfig);
    const peer = {
      seatId, pc, polite: this.store.you.seat_id > seatId, makingOffer: false, ignoreOffer: false,
      senders: { audio: null, video: null }, pending: [], outbox: Promise.resolve(), refusal: null,
    };
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track]);
      peer.stream = stream;
      stream.onremovetrack = () => this.onRemote(seatId, stream);
      this.onRemote(seatId, stream);
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.signal(peer, "candidate", candidate.toJSON());
    };
    pc.onnegotiationneeded = async () => {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        this.signal(peer, "offer", { type: "offer", sdp: pc.localDescription.sdp });
        this.retryOffer(peer);
      } catch {
        // A failed offer is retried by the next negotiationneeded or a fresh connection.
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") pc.restartIce();
      if (this.relay === "on" && ["failed", "connected"].includes(pc.connectionState)) this.onRelay(pc.connectionState);
    };
    this.peers.set(seatId, peer);
    registry.set(seatId, pc);
    this.syncSenders(peer);
    if (initiator) {
      // Offer to receive what is not sent, so even a listener starts the negotiation.
      for (const kind of ["audio", "video"]) if (!peer.senders[kind]) pc.addTransceiver(kind, { direction: "recvonly" });
    }
    return peer;
  }

  /** Offer again while unanswered: the far end may have been getting its page ready. */
  retryOffer(peer) {
    window.clearTimeout(peer.retry);
    peer.retry = window.setTimeout(() => {
      if (this.peers.get(peer.seatId) !== peer || peer.pc.signalingState !== "have-local-offer") return;
      // The description now carries every gathered candidate, so nothing sent earlier is needed.
      this.signal(peer, "offer", { type: "offer", sdp: peer.pc.localDescription.sdp });
      this.retryOffer(peer);
    }, OFFER_RETRY_MS);
  }

  drop(seatId) {
    const peer = this.peers.get(seatId);
    if (!peer) return;
    window.clearTimeout(peer.retry);
    peer.pc.close();
    this.peers.delete(seatId);
    registry.delete(seatId);
    this.onRemote(seatId, null);
  }

  /** Send what this way of taking part allows, and nothing else (the server checks it too). */
  syncSenders(peer) {
    const allowed = this.sends ?? [];
    for (const kind of ["audio", "video"]) {
      const track = allowed.includes(kind) ? this.stream?.getTracks().find((t) => t.kind === kind) : null;
      const sender = peer.senders[kind];
      if (track && !sender) {
        peer.senders[kind] = peer.pc.addTrack(track, this.stream);
      } else if (track && sender.track !== track) {
        sender.replaceTrack(track);
      } else if (!track && sender) {
        peer.pc.removeTrack(sender);
        peer.senders[kind] = null;
      }
    }
  }

  /** Signals to one seat go one after another, so the far end gets them in order. */
  signal(peer, kind, data) {
    peer.outbox = peer.outbox.then(async () => {
      const ack = await this.client.send("rtc:signal", { to: peer.seatId, kind, data });
      if (!ack.ok) peer.refusal = ack.error.code;
    });
  }

  async onSignal({ from, kind, data }) {
    let peer = this.peers.get(from);
    if (!peer) {
      if (kind !== "offer" || !this.wantedSeats().has(from)) return;
      // The offerer sends its offer again until answered, so one that came too early is not lost.
      await this.loadIce();
      if (this.closed || !this.mayConnect() || this.peers.has(from)) return;
      peer = this.create(from);
    }
    try {
      await this.apply(peer, kind, data);
    } catch {
      if (kind !== "offer") return;
      // An offer from a connection this side no longer matches (the far end started afresh).
      this.drop(from);
      await this.apply(this.create(from), kind, data).catch(() => {});
    }
  }

  async apply(peer, kind, data) {
    const pc = peer.pc;
    if (kind === "candidate") {
      if (pc.remoteDescription) await pc.addIceCandidate(data).catch(() => {});
      else peer.pending.push(data);
      return;
    }
    const collision = kind === "offer" && (peer.makingOffer || pc.signalingState !== "stable");
    peer.ignoreOffer = !peer.polite && collision;
    if (peer.ignoreOffer) return;
    await pc.setRemoteDescription(data);
    for (const candidate of peer.pending.splice(0)) await pc.addIceCandidate(candidate).catch(() => {});
    if (kind === "offer") {
      await pc.setLocalDescription();
      this.signal(peer, "answer", { type: "answer", sdp: pc.localDescription.sdp });
    }
  }
}
