// Words for the room's values, as the console shows them.
import { modeInfo } from "../shared/modes.js";

const KINDS = { support_request: "Asked for support", risk_language: "Wrote something worrying in the chat" };

/** How the console names a seat's way of taking part ("listening"). */
export function modeLabel(mode) {
  return modeInfo(mode).status;
}

export function alertKindLabel(kind) {
  return KINDS[kind] ?? "Alert";
}

/** The short badges describing a seat's situation, in reading order. */
export function seatBadges(seat) {
  return [
    modeLabel(seat.mode),
    seat.where === "lobby" && "in the lobby",
    seat.has_floor && "has the floor",
    seat.hand !== null && seat.hand !== undefined && `hand raised (${seat.hand + 1})`,
    seat.muted && "muted by a facilitator",
    seat.away && "stepped away",
    seat.presence === "reconnecting" && "reconnecting",
  ].filter(Boolean);
}
