// People: everyone seated, with per-person actions behind a disclosure button.
import { el } from "../../shared/dom.js";
import { act } from "../actions.js";
import { confirmAction } from "../dialogs.js";
import { button, replaceKeepingFocus } from "../dom.js";
import { seatBadges } from "../labels.js";
import { fillNorms } from "./controls.js";
import { passFloor } from "./queue.js";

const $ = (id) => document.getElementById(id);

async function remove(ctx, seat) {
  const ok = await confirmAction({
    title: `Remove ${seat.display_name} from this session?`,
    text: `${seat.display_name} leaves the room now and cannot come back to this session. They can still join the group's next sessions.`,
    confirmLabel: `Remove ${seat.display_name}`,
  });
  if (ok) act(ctx.client, "seat:remove", { seat_id: seat.seat_id }, `${seat.display_name} was removed from the session.`);
}

async function bar(ctx, seat) {
  const ok = await confirmAction({
    title: `Bar ${seat.display_name} from the group?`,
    text: `${seat.display_name} leaves the room now, and their join link stops working for every session of this group.`,
    confirmLabel: `Bar ${seat.display_name}`,
  });
  if (ok) act(ctx.client, "seat:bar", { seat_id: seat.seat_id }, `${seat.display_name} was barred from the group.`);
}

function normReminder(ctx, seat) {
  const id = `norm-for-${seat.seat_id}`;
  const select = el("select", {
    id,
    class: "norm-select",
    "data-key": `norm-select:${seat.seat_id}`,
    onchange: (event) => ctx.privateNorm.set(seat.seat_id, event.target.value),
  });
  fillNorms(select, ctx.store.state.norms ?? []);
  if (ctx.privateNorm.has(seat.seat_id)) select.value = ctx.privateNorm.get(seat.seat_id);
  return el(
    "div",
    { class: "norm-private" },
    el("label", { for: id }, `Remind ${seat.display_name} privately of`),
    select,
    button(
      "Send reminder",
      () => {
        if (select.value === "") return;
        act(
          ctx.client,
          "norm:remind",
          { norm: Number(select.value), seat_id: seat.seat_id },
          `${seat.display_name} was reminded privately.`,
        );
      },
      { key: `norm:${seat.seat_id}`, quiet: true, disabled: select.disabled },
    ),
  );
}

function actionsFor(ctx, seat) {
  const name = seat.display_name;
  const inRoom = seat.where === "room";
  return el(
    "div",
    { class: "person-actions", id: `actions-${seat.seat_id}` },
    seat.where === "lobby"
      ? button(`Admit ${name}`, () => act(ctx.client, "lobby:admit", { seat_id: seat.seat_id }), { key: `p-admit:${seat.seat_id}` })
      : null,
    button(seat.muted ? `Unmute ${name}` : `Mute ${name}`, () =>
      act(ctx.client, "seat:mute", { seat_id: seat.seat_id, muted: !seat.muted }, seat.muted ? `${name} is unmuted.` : `${name} is muted.`),
      { key: `mute:${seat.seat_id}`, quiet: true },
    ),
    seat.hand !== null
      ? button(`Lower ${name}'s hand`, () => act(ctx.client, "hand:lower", { seat_id: seat.seat_id }), {
          key: `p-lower:${seat.seat_id}`,
          quiet: true,
        })
      : null,
    inRoom && seat.may_hold_floor && !seat.has_floor
      ? button(`Pass the floor to ${name}`, () => passFloor(ctx, seat), { key: `p-pass:${seat.seat_id}`, quiet: true })
      : null,
    button(`Message ${name} privately`, () => ctx.openPrivate(seat.seat_id), { key: `pm:${seat.seat_id}`, quiet: true }),
    normReminder(ctx, seat),
    button(`Escalate about ${name}…`, () => ctx.escalate(seat, null), { key: `esc:${seat.seat_id}`, quiet: true }),
    el(
      "div",
      { class: "control-row" },
      button(`Remove ${name}…`, () => remove(ctx, seat), { key: `remove:${seat.seat_id}`, danger: true }),
      button(`Bar ${name} from the group…`, () => bar(ctx, seat), { key: `bar:${seat.seat_id}`, danger: true }),
    ),
  );
}

function personItem(ctx, seat) {
  const me = ctx.store.isMine(seat.seat_id);
  const open = ctx.expanded.has(seat.seat_id);
  const participant = seat.role === "participant";
  const toggle = participant
    ? button(
        open ? `Hide actions for ${seat.display_name}` : `Actions for ${seat.display_name}`,
        () => {
          if (ctx.expanded.has(seat.seat_id)) ctx.expanded.delete(seat.seat_id);
          else ctx.expanded.add(seat.seat_id);
          renderPeople(ctx, true);
        },
        { key: `toggle:${seat.seat_id}`, quiet: true, "aria-expanded": open ? "true" : "false", "aria-controls": `actions-${seat.seat_id}` },
      )
    : null;
  return el(
    "li",
    { class: "item person" },
    el(
      "div",
      { class: "person-head" },
      el("span", { class: "item-name" }, seat.display_name, me ? " (you)" : "", seat.role === "facilitator" ? " · facilitator" : ""),
      el("span", { class: "item-meta" }, seatBadges(seat).join(" · ")),
      toggle,
    ),
    participant && open ? actionsFor(ctx, seat) : null,
  );
}

export function initPeople(ctx) {
  ctx.store.subscribe(() => renderPeople(ctx));
}

function renderPeople(ctx, force = false) {
  const state = ctx.store.state;
  if (!state) return;
  // Skip identical re-renders: they would close an open <select> under someone's hand.
  const signature = JSON.stringify([state.seats, state.norms, state.you?.seat_id, [...ctx.expanded]]);
  if (!force && signature === ctx.peopleSignature) return;
  ctx.peopleSignature = signature;
  for (const id of ctx.expanded) if (!ctx.store.seat(id)) ctx.expanded.delete(id);
  replaceKeepingFocus($("people-list"), state.seats.map((seat) => personItem(ctx, seat)), $("people-heading"));
  const count = state.seats.filter((s) => s.role === "participant").length;
  $("people-count").textContent = `(${count} ${count === 1 ? "participant" : "participants"})`;
}
