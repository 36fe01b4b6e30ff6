// What to tell a person when the server refused something. The server's messages are English
// (service/live/errors.py, service/rooms/errors.py, service/domain/errors.py, the connection
// refusals of service/live/access.py and limits.py): an English page shows them as written, as they are
// the most precise; any other language says what the refusal's stable `code` means, so a
// Spanish page never shows English.
import { language, t } from "./i18n.js";

const BY_CODE = {
  bad_request: t("That could not be done. Please try again."),
  invalid: t("Something in that was not quite right. Please check it and try again."),
  not_found: t("That is no longer there: the room may have just changed."),
  conflict: t("That cannot be done right now: the room may have just changed."),
  full: t("There is no more room for that right now."),
  forbidden: t("That is not something you can do here."),
  rate_limited: t("Slow down a little, please."),
  room_not_open: t("The room is not open."),
  chat_closed: t("The chat is closed."),
  session_over: t("This session has ended."),
  media_not_allowed: t("This circle does not allow that way of taking part."),
  candidate_not_relayed: t("This circle's audio and video go only through a relay, so that nobody learns another's address."),
  not_connected: t("You are not connected to the room right now. Please wait a moment."),
  internal: t("Something went wrong; please try again."),
  timeout: t("No answer from the server; please try again."),
  // Refusals of the live room itself.
  no_such_room: t("The room is not open."),
  no_such_seat: t("That person is no longer in the room."),
  seat_exists: t("That seat is already taken."),
  room_locked: t("The room is locked: nobody new can come in."),
  not_in_room: t("That person is still waiting in the lobby."),
  floor_changed: t("Someone else has just passed the floor."),
  not_floor_holder: t("Only the person with the floor can do that."),
  round_under_way: t("A round is going around: skip a turn or stop the round instead."),
  not_your_turn: t("It is not your turn in a round right now."),
  seat_expired: t("Your seat was not kept any longer. Please reload the page."),
  bad_value: t("That value is not one the room takes."),
  no_such_message: t("That message is no longer there."),
  // Refusals of the connection itself.
  invalid_token: t("This join link is not valid."),
  not_facilitator: t("You do not facilitate this group."),
  not_signed_in: t("Sign in as a facilitator, or connect with a join link."),
  outside_window: t("This session's room is not open at this time."),
  removed: t("A facilitator asked you to leave this session."),
  session_cancelled: t("This session was cancelled."),
  session_ended: t("This session has ended."),
  too_many_connections: t("Too many connections in a short time; try again in a minute."),
  wrong_session: t("This link is not for this session."),
};

/**
 * The words for a refusal's `{code, message, fields}` (any may be missing) in the page's
 * language; `withFields` adds, on an English page, what the server said of each field.
 */
export function refusalText(error, { withFields = false } = {}) {
  if (language === "en" && error?.message) {
    const fields = withFields ? Object.values(error.fields ?? {}).flat() : [];
    return [error.message, ...fields].join(" ");
  }
  return BY_CODE[error?.code] ?? t("That did not work; please try again.");
}
