// A round on the stage: whose turn it is, the listener's choice to write a line or pass, and
// a listener's turn said once through the stage's live region.
import { find } from "../shared/dom.js";
import { t, tn } from "../shared/i18n.js";
import { roundWords } from "../shared/rounds.js";

/** Keep the stage's round section in step with the store; `say` speaks through the live region. */
export function mountRound(stage, client, store, say) {
  const section = find(stage, "[data-round]");
  find(section, "[data-round-pass]").addEventListener("click", () => client.send("round:pass"));
  if (store.state) render(section, store, store.state);
  return store.subscribe((state, before) => {
    render(section, store, state);
    announce(store, state, before, say);
  });
}

function render(section, store, state) {
  const round = state.round;
  section.hidden = !round;
  if (!round) return;
  const me = state.you?.seat_id;
  const mine = round.turn === me;
  find(section, "[data-round-title]").textContent = roundWords(round.kind).title;
  find(section, "[data-round-text]").textContent = mine ? yourTurn(state) : theirTurn(store, round, me);
  find(section, "[data-round-mine]").hidden = !mine;
}

function yourTurn(state) {
  if (state.floor?.seat_id === state.you.seat_id) {
    return t("It's your turn. Share what you'd like, then press \"Pass\" when you are done, or pass your turn.");
  }
  return t("It's your turn. Write a line in the chat if you'd like, or pass your turn.");
}

function theirTurn(store, round, me) {
  const name = store.nameOf(round.turn);
  const place = round.to_come.indexOf(me);
  if (place === 0) return t("{name}'s turn. You are next.", { name });
  if (place > 0) return tn("{name}'s turn. {count} person before you.", "{name}'s turn. {count} people before you.", place, { name });
  return t("{name}'s turn.", { name });
}

function announce(store, state, before, say) {
  if (!before) return;
  const was = before.round;
  const now = state.round;
  if (!was && now) say(roundWords(now.kind).started);
  // A speaker's turn gives them the floor, which the room announces itself; a listener's does not.
  const me = state.you?.seat_id;
  if (now && now.turn !== was?.turn && now.turn === me && state.floor?.seat_id !== me) {
    say(t("It's your turn: write a line in the chat, or pass."));
  }
  if (was && !now && state.phase === "open") say(t("The round is complete."));
}
