// Rounds and quieter voices: start, skip or stop a round; who has not shared yet and each
// person's speaking time (the facilitator's eyes only); the queue least spoken first.
import { el } from "../../shared/dom.js";
import { act } from "../actions.js";

const $ = (id) => document.getElementById(id);

const KINDS = { check_in: "check-in", check_out: "check-out" };

export function initRounds(ctx) {
  for (const button of document.querySelectorAll("[data-round-kind]")) {
    const kind = button.dataset.roundKind;
    button.addEventListener("click", () => act(ctx.client, "round:start", { kind }, `The ${KINDS[kind]} round has started.`));
  }
  $("round-skip").addEventListener("click", () => act(ctx.client, "round:skip"));
  $("round-stop").addEventListener("click", () => act(ctx.client, "round:stop", undefined, "The round has stopped."));
  $("least-spoken").addEventListener("click", () => {
    const order = ctx.store.state?.queue_order === "least_spoken" ? "raised" : "least_spoken";
    act(ctx.client, "queue:order", { order });
  });
  ctx.store.subscribe((state) => renderRounds(ctx, state));
}

/** "1 min 5 s", "40 s". */
function spokenText(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes ? `${minutes} min${rest ? ` ${rest} s` : ""}` : `${rest} s`;
}

function renderRounds(ctx, state) {
  const round = state.round;
  const names = (ids) => ids.map((id) => ctx.store.nameOf(id)).join(", ");
  let status = "No round is going around.";
  if (round) {
    const parts = [`A ${KINDS[round.kind]} round: ${ctx.store.nameOf(round.turn)}'s turn.`];
    if (round.to_come.length) parts.push(`Still to come: ${names(round.to_come)}.`);
    if (round.passed?.length) parts.push(`Passed: ${names(round.passed)}.`);
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
      ? `Not shared yet: ${names(quiet)}.`
      : "Everyone in the room has shared."
    : "Nobody is in the room yet.";
  $("speaking-list").replaceChildren(
    ...speaking.map((row) =>
      el(
        "li",
        { class: "item" },
        el("span", { class: "item-name" }, ctx.store.nameOf(row.seat_id)),
        el("span", { class: "item-meta" }, row.shared ? spokenText(row.seconds) : "not yet"),
      ),
    ),
  );
}
