// The queue: raised hands in order, who holds the floor, and passing it on.
import { el } from "../../shared/dom.js";
import { clockTime } from "../../shared/time.js";
import { act } from "../actions.js";
import { button, replaceKeepingFocus } from "../dom.js";

const $ = (id) => document.getElementById(id);

let ended = false; // room:ended was heard

const RESPONSES = { welcome_responses: "welcomes responses", just_listening: "asks for just listening" };

/** Pass the floor to `seat` (or to the next hand when null). */
export function passFloor(ctx, seat) {
  const payload = seat ? { to: seat.seat_id } : {};
  return act(ctx.client, "floor:pass", payload);
}

export function initQueue(ctx) {
  ctx.store.subscribe(() => renderQueue(ctx));
  // The room sends no state after it ends: the last one would still show someone holding the floor.
  ctx.client.on("room:ended", () => {
    ended = true;
    renderQueue(ctx);
  });
  $("pass-next").addEventListener("click", () => passFloor(ctx, null));
}

function holderView(ctx, floor) {
  const name = ctx.store.nameOf(floor.seat_id);
  const mine = ctx.store.isMine(floor.seat_id);
  const parts = [`${mine ? "You have" : `${name} has`} the floor`];
  if (floor.response) parts.push(`and ${RESPONSES[floor.response] ?? floor.response}`);
  const timer =
    floor.share_seconds && floor.share_started_at
      ? el("span", { class: "item-meta" }, `Share time ends at ${clockTime(floor.share_started_at + floor.share_seconds)}`)
      : null;
  const action = mine
    ? button("Release the floor", () => act(ctx.client, "floor:release", undefined, "You released the floor."), {
        key: "floor:release",
        quiet: true,
      })
    : button("Take the floor back", () => act(ctx.client, "floor:pass", { to: ctx.store.you.seat_id }), {
        key: "floor:take",
        quiet: true,
      });
  // replaceChildren would print a null child as the text "null".
  return [el("p", { class: "floor-line" }, `${parts.join(" ")}.`), timer, ctx.store.you ? action : null].filter(Boolean);
}

function renderQueue(ctx) {
  const state = ctx.store.state;
  if (!state) return;
  const over = ended || state.phase === "ended";
  const floor = over ? null : state.floor;
  const nobody = over ? "The session has ended: nobody has the floor." : "Nobody has the floor.";
  replaceKeepingFocus(
    $("floor-holder"),
    floor ? holderView(ctx, floor) : [el("p", { class: "floor-line" }, nobody)],
    $("queue-heading"),
  );
  const hands = over ? [] : ctx.store.queue;
  const items = hands.map((seat) =>
    el(
      "li",
      { class: "item" },
      el("span", { class: "item-name" }, seat.display_name),
      el(
        "span",
        { class: "item-actions" },
        button("Pass the floor", () => passFloor(ctx, seat), {
          key: `pass:${seat.seat_id}`,
          "aria-label": `Pass the floor to ${seat.display_name}`,
        }),
        button("Lower", () => act(ctx.client, "hand:lower", { seat_id: seat.seat_id }), {
          key: `lower:${seat.seat_id}`,
          quiet: true,
          "aria-label": `Lower ${seat.display_name}'s hand`,
        }),
      ),
    ),
  );
  replaceKeepingFocus($("queue-list"), items, $("queue-heading"));
  $("queue-empty").hidden = hands.length > 0;
  const next = $("pass-next");
  next.textContent = hands.length ? `Pass the floor to the next hand (${hands[0].display_name})` : "Free the floor";
  if (!hands.length && !floor && document.activeElement === next) $("queue-heading").focus();
  next.hidden = !hands.length && !floor;
}
