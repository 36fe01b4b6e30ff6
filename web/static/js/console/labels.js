// Words for the room's values, as the console shows them.
import { t } from "../shared/i18n.js";
import { modeInfo } from "../shared/modes.js";

const KINDS = { support_request: t("Asked for support"), risk_language: t("Wrote something worrying in the chat") };

/** How the console names a seat's way of taking part ("listening"). */
export function modeLabel(mode) {
  return modeInfo(mode).status;
}

export function alertKindLabel(kind) {
  return KINDS[kind] ?? t("Alert");
}

/** The short badges describing a seat's situation, in reading order. */
export function seatBadges(seat) {
  return [
    modeLabel(seat.mode),
    seat.where === "lobby" && t("in the lobby"),
    seat.has_floor && t("has the floor"),
    seat.hand !== null && seat.hand !== undefined && t("hand raised ({place})", { place: seat.hand + 1 }),
    seat.muted && t("muted by a facilitator"),
    seat.away && t("stepped away"),
    seat.presence === "reconnecting" && t("reconnecting"),
  ].filter(Boolean);
}
