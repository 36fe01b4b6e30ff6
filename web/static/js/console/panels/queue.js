// The queue: raised hands in order, who holds the floor, and passing it on.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { clockTime } from "../../shared/time.js";
import { act } from "../actions.js";
import { button, replaceKeepingFocus } from "../dom.js";

const $ = (id) => document.getElementById(id);

let ended = false; // room:ended was heard

// Who holds the floor and what they asked of the others.
const HOLDING = {
  mine: {
    none: () => t("You have the floor."),
    welcome_responses: () => t("You have the floor and welcome responses."),
    just_listening: () => t("You have the floor and ask for just listening."),
  },
  theirs: {
    none: (name) => t("{name} has the floor.", { name }),
    welcome_responses: (name) => t("{name} has the floor and welcomes responses.", { name }),
    just_listening: (name) => t("{name} has the floor and asks for just listening.", { name }),
  },
};

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
  const holding = HOLDING[mine ? "mine" : "theirs"];
  const line = (holding[floor.response] ?? holding.none)(name);
  const timer =
    floor.share_seconds && floor.share_started_at
      ? el("span", { class: "item-meta" }, t("Share time ends at {end}", { end: clockTime(floor.share_started_at + floor.share_seconds) }))
      : null;
  const action = mine
    ? button(t("Release the floor"), () => act(ctx.client, "floor:release", undefined, t("You released the floor.")), {
        key: "floor:release",
        quiet: true,
      })
    : button(t("Take the floor back"), () => act(ctx.client, "floor:pass", { to: ctx.store.you.seat_id }), {
        key: "floor:take",
        quiet: true,
      });
  // replaceChildren would print a null child as the text "null".
  return [el("p", { class: "floor-line" }, line), timer, ctx.store.you ? action : null].filter(Boolean);
}

function renderQueue(ctx) {
  const state = ctx.store.state;
  if (!state) return;
  const over = ended || state.phase === "ended";
  const floor = over ? null : state.floor;
  const nobody = over ? t("The session has ended: nobody has the floor.") : t("Nobody has the floor.");
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
        button(t("Pass the floor"), () => passFloor(ctx, seat), {
          key: `pass:${seat.seat_id}`,
          "aria-label": t("Pass the floor to {name}", { name: seat.display_name }),
        }),
        button(t("Lower"), () => act(ctx.client, "hand:lower", { seat_id: seat.seat_id }), {
          key: `lower:${seat.seat_id}`,
          quiet: true,
          "aria-label": t("Lower {name}'s hand", { name: seat.display_name }),
        }),
      ),
    ),
  );
  replaceKeepingFocus($("queue-list"), items, $("queue-heading"));
  $("queue-empty").hidden = hands.length > 0;
  const next = $("pass-next");
  next.textContent = hands.length ? t("Pass the floor to the next hand ({name})", { name: hands[0].display_name }) : t("Free the floor");
  if (!hands.length && !floor && document.activeElement === next) $("queue-heading").focus();
  next.hidden = !hands.length && !floor;
}
