// The latest room:state of a page's room connection, with the seats seat:joined told of since:
// views subscribe to it instead of each keeping and re-deriving their own copy.
import { t } from "./i18n.js";

export class RoomStore {
  constructor(client) {
    this.state = null;
    this.listeners = new Set();
    client.on("room:state", (state) => this.set(state));
    client.on("seat:joined", ({ seat }) => this.addSeat(seat));
  }

  /** Call `listener(state, before)` with every new state; returns a function that stops it. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(state) {
    const before = this.state;
    this.state = state;
    // A view mounted by a listener renders the current state itself; it is not told it twice.
    for (const listener of [...this.listeners]) listener(state, before);
  }

  /**
   * A seat that has just joined the lobby, after the others, as room:state lists seats. A seat
   * already known is left as it is: the room:state that listed it is as new as this news or newer.
   */
  addSeat(seat) {
    if (this.state === null || this.seat(seat.seat_id)) return;
    this.set({ ...this.state, seats: [...this.state.seats, seat] });
  }

  /** The person's own seat, or null before they agreed. */
  get you() {
    return this.state?.you ?? null;
  }

  /** Whether `seatId` is the person's own seat. */
  isMine(seatId) {
    return Boolean(seatId) && seatId === this.you?.seat_id;
  }

  /** Whether the person's own hand is up. */
  get handRaised() {
    return this.you?.hand !== null && this.you?.hand !== undefined;
  }

  seat(seatId) {
    return this.state?.seats.find((seat) => seat.seat_id === seatId) ?? null;
  }

  nameOf(seatId, fallback = t("Someone")) {
    return this.seat(seatId)?.display_name ?? fallback;
  }

  /** The seats in the room (not the lobby). */
  get inRoom() {
    return (this.state?.seats ?? []).filter((seat) => seat.where === "room");
  }

  /** The participants waiting in the lobby. */
  get waiting() {
    return (this.state?.seats ?? []).filter((seat) => seat.where === "lobby" && seat.role === "participant");
  }

  /** The seats with a raised hand, in queue order. */
  get queue() {
    return (this.state?.hands ?? []).map((seatId) => this.seat(seatId)).filter(Boolean);
  }
}
