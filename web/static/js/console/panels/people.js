// People: everyone seated, with one person's actions open at a time behind their Actions button:
// it closes on Escape, on a click elsewhere, and once an action is chosen; removing and barring ask first.
import { el } from "../../shared/dom.js";
import { t, tn } from "../../shared/i18n.js";
import { act } from "../actions.js";
import { confirmAction } from "../dialogs.js";
import { button, replaceKeepingFocus } from "../dom.js";
import { seatBadges } from "../labels.js";
import { fillNorms } from "./controls.js";
import { passFloor } from "./queue.js";

const $ = (id) => document.getElementById(id);

async function remove(ctx, seat) {
  const ok = await confirmAction({
    title: t("Remove {name} from this session?", { name: seat.display_name }),
    text: t("{name} leaves the room now and cannot come back to this session. They can still join the group's next sessions.", { name: seat.display_name }),
    confirmLabel: t("Remove {name}", { name: seat.display_name }),
  });
  if (ok) act(ctx.client, "seat:remove", { seat_id: seat.seat_id }, t("{name} was removed from the session.", { name: seat.display_name }));
}

async function bar(ctx, seat) {
  const ok = await confirmAction({
    title: t("Bar {name} from the group?", { name: seat.display_name }),
    text: t("{name} leaves the room now, and their join link stops working for every session of this group.", { name: seat.display_name }),
    confirmLabel: t("Bar {name}", { name: seat.display_name }),
  });
  if (ok) act(ctx.client, "seat:bar", { seat_id: seat.seat_id }, t("{name} was barred from the group.", { name: seat.display_name }));
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
    el("label", { for: id }, t("Remind {name} privately of", { name: seat.display_name })),
    select,
    action(
      ctx,
      t("Send reminder"),
      () => {
        if (select.value === "") return;
        act(
          ctx.client,
          "norm:remind",
          { norm: Number(select.value), seat_id: seat.seat_id },
          t("{name} was reminded privately.", { name: seat.display_name }),
        );
      },
      { key: `norm:${seat.seat_id}`, quiet: true, disabled: select.disabled },
    ),
  );
}

/** Close the open actions, putting focus back on their Actions button. */
function closeActions(ctx) {
  const seatId = ctx.openActions;
  if (!seatId) return;
  ctx.openActions = null;
  renderPeople(ctx, true);
  $("people-list").querySelector(`[data-key="${CSS.escape(`toggle:${seatId}`)}"]`)?.focus();
}

/** A button of the actions that closes them first (so a dialog it opens hands focus back to Actions). */
function action(ctx, label, run, options) {
  return button(label, () => {
    closeActions(ctx);
    run();
  }, options);
}

function actionsFor(ctx, seat) {
  const name = seat.display_name;
  const inRoom = seat.where === "room";
  return el(
    "div",
    { class: "person-actions", id: `actions-${seat.seat_id}`, role: "group", "aria-label": t("Actions for {name}", { name }) },
    seat.where === "lobby"
      ? action(ctx, t("Admit {name}", { name }), () => act(ctx.client, "lobby:admit", { seat_id: seat.seat_id }), { key: `p-admit:${seat.seat_id}` })
      : null,
    action(ctx, seat.muted ? t("Unmute {name}", { name }) : t("Mute {name}", { name }), () =>
      act(ctx.client, "seat:mute", { seat_id: seat.seat_id, muted: !seat.muted }, seat.muted ? t("{name} is unmuted.", { name }) : t("{name} is muted.", { name })),
      { key: `mute:${seat.seat_id}`, quiet: true },
    ),
    seat.hand !== null
      ? action(ctx, t("Lower {name}'s hand", { name }), () => act(ctx.client, "hand:lower", { seat_id: seat.seat_id }), {
          key: `p-lower:${seat.seat_id}`,
          quiet: true,
        })
      : null,
    inRoom && seat.may_hold_floor && !seat.has_floor
      ? action(ctx, t("Pass the floor to {name}", { name }), () => passFloor(ctx, seat), { key: `p-pass:${seat.seat_id}`, quiet: true })
      : null,
    action(ctx, t("Message {name} privately", { name }), () => ctx.openPrivate(seat.seat_id), { key: `pm:${seat.seat_id}`, quiet: true }),
    normReminder(ctx, seat),
    action(ctx, t("Escalate about {name}…", { name }), () => ctx.escalate(seat, null), { key: `esc:${seat.seat_id}`, quiet: true }),
    el(
      "div",
      { class: "control-row" },
      action(ctx, t("Remove {name}…", { name }), () => remove(ctx, seat), { key: `remove:${seat.seat_id}`, danger: true }),
      action(ctx, t("Bar {name} from the group…", { name }), () => bar(ctx, seat), { key: `bar:${seat.seat_id}`, danger: true }),
    ),
  );
}

function personItem(ctx, seat) {
  const me = ctx.store.isMine(seat.seat_id);
  const open = ctx.openActions === seat.seat_id;
  const participant = seat.role === "participant";
  const toggle = participant
    ? button(
        t("Actions"),
        () => {
          ctx.openActions = open ? null : seat.seat_id;
          renderPeople(ctx, true);
        },
        {
          key: `toggle:${seat.seat_id}`,
          quiet: true,
          "aria-label": t("Actions for {name}", { name: seat.display_name }),
          "aria-expanded": open ? "true" : "false",
          "aria-controls": open ? `actions-${seat.seat_id}` : null,
        },
      )
    : null;
  return el(
    "li",
    { class: "item person" },
    el(
      "div",
      { class: "person-head" },
      el(
        "span",
        { class: "item-name" },
        me ? t("{name} (you)", { name: seat.display_name }) : seat.display_name,
        seat.role === "facilitator" ? ` · ${t("facilitator")}` : "",
      ),
      el("span", { class: "item-meta" }, seatBadges(seat).join(" · ")),
      toggle,
    ),
    participant && open ? actionsFor(ctx, seat) : null,
  );
}

export function initPeople(ctx) {
  ctx.store.subscribe(() => renderPeople(ctx));
  const list = $("people-list");
  list.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && ctx.openActions) {
      event.preventDefault();
      closeActions(ctx);
    }
  });
  document.addEventListener("pointerdown", (event) => {
    const open = ctx.openActions && list.querySelector(`[data-key="${CSS.escape(`toggle:${ctx.openActions}`)}"]`)?.closest(".person");
    // Another person's Actions button switches by itself; a dialog an action opened is not "elsewhere".
    const elsewhere = !open?.contains(event.target) && !event.target.closest("dialog, #people-list [aria-expanded]");
    if (open && elsewhere) closeActions(ctx);
  });
}

function renderPeople(ctx, force = false) {
  const state = ctx.store.state;
  if (!state) return;
  // Skip identical re-renders: they would close an open <select> under someone's hand.
  const signature = JSON.stringify([state.seats, state.norms, state.you?.seat_id, ctx.openActions]);
  if (!force && signature === ctx.peopleSignature) return;
  ctx.peopleSignature = signature;
  if (ctx.openActions && !ctx.store.seat(ctx.openActions)) ctx.openActions = null;
  replaceKeepingFocus($("people-list"), state.seats.map((seat) => personItem(ctx, seat)), $("people-heading"));
  const count = state.seats.filter((s) => s.role === "participant").length;
  $("people-count").textContent = tn("({count} participant)", "({count} participants)", count);
}
