// The lobby: who waits to come in, with Admit for each and Admit everyone.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { act } from "../actions.js";
import { button, replaceKeepingFocus } from "../dom.js";
import { modeLabel } from "../labels.js";

const $ = (id) => document.getElementById(id);

export function initLobby(ctx) {
  ctx.store.subscribe(() => renderLobby(ctx));
  // Each admitted person is announced by name from the room's next state.
  $("admit-all").addEventListener("click", () => act(ctx.client, "lobby:admit_all"));
}

function renderLobby(ctx) {
  const waiting = ctx.store.waiting;
  const items = waiting.map((seat) =>
    el(
      "li",
      { class: "item" },
      el("span", { class: "item-name" }, seat.display_name),
      el("span", { class: "item-meta" }, modeLabel(seat.mode)),
      button(t("Admit {name}", { name: seat.display_name }), () => act(ctx.client, "lobby:admit", { seat_id: seat.seat_id }), {
        key: `admit:${seat.seat_id}`,
      }),
    ),
  );
  replaceKeepingFocus($("lobby-list"), items, $("lobby-heading"));
  $("lobby-empty").hidden = waiting.length > 0;
  $("lobby-count").textContent = waiting.length ? t("({count} waiting)", { count: waiting.length }) : "";
  const admitAll = $("admit-all");
  if (waiting.length === 0 && document.activeElement === admitAll) $("lobby-heading").focus();
  admitAll.hidden = waiting.length === 0;
}
