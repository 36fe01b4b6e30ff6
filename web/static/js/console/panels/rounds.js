// Rounds and quieter voices: start, skip or stop a round; who has not shared yet and each
// person's speaking time (the facilitator's eyes only); the queue least spoken first.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { roundWords } from "../../shared/rounds.js";
import { durationText } from "../../shared/time.js";
import { act } from "../actions.js";

const $ = (id) => document.getElementById(id);

export function initRounds(ctx) {
  for (const button of document.querySelectorAll("[data-round-kind]")) {
    const kind = button.dataset.roundKind;
    button.addEventListener("click", () => act(ctx.client, "round:start", { kind }, roundWords(kind).started));
  }
  $("round-skip").addEventListener("click", () => act(ctx.client, "round:skip"));
  $("round-stop").addEventListener("click", () => act(ctx.client, "round:stop", undefined, t("The round has stopped.")));
  $("least-spoken").addEventListener("click", () => {
    const order = ctx.store.state?.queue_order === "least_spoken" ? "raised" : "least_spoken";
    act(ctx.client, "queue:order", { order });
  });
  ctx.store.subscribe((state) => renderRounds(ctx, state));
}

function renderRounds(ctx, state) {
  const round = state.round;
  const names = (ids) => ids.map((id) => ctx.store.nameOf(id)).join(", ");
  let status = t("No round is going around.");
  if (round) {
    const parts = [roundWords(round.kind).going(ctx.store.nameOf(round.turn))];
    if (round.to_come.length) parts.push(t("Still to come: {names}.", { names: names(round.to_come) }));
    if (round.passed?.length) parts.push(t("Passed: {names}.", { names: names(round.passed) }));
    status = parts.join(" ");
  }
  $("round-status").textContent = status;
  $("round-start").hidden = Boolean(round);
  $("round-controls").hidden = !round;
  const leastFirst = state.queue_order === "least_spoken";
  $("least-spoken").setAttribute("aria-pressed", String(leastFirst));
  const speaking = state.speaking ?? [];
  const quiet = speaking.filter((row) => !row.shared).map((row) => row.seat_id);
  $("not-shared").textContent = speaking.length
    ? quiet.length
      ? t("Not shared yet: {names}.", { names: names(quiet) })
      : t("Everyone in the room has shared.")
    : t("Nobody is in the room yet.");
  $("speaking-list").replaceChildren(
    ...speaking.map((row) =>
      el(
        "li",
        { class: "item" },
        el("span", { class: "item-name" }, ctx.store.nameOf(row.seat_id)),
        el("span", { class: "item-meta" }, row.shared ? durationText(row.seconds) : t("not yet")),
      ),
    ),
  );
}
