// The ways of taking part as the page describes them in its `data-modes` attribute (the
// server's one table, service/web/mode_labels.py): their words for people, and what each may
// do. A seat's own capabilities come with it in room:state; this is for choosing before a seat
// exists, and for words.

// What an unknown way of taking part may do: nothing that asks for or sends anything.
const UNKNOWN = { sends: [], may_raise_hand: false, may_hold_floor: false, needs_devices: false, badge: "" };

let table = null;

function modes() {
  table ??= JSON.parse(document.querySelector("[data-modes]")?.dataset.modes ?? "{}");
  return table;
}

/** Every way of taking part by name, loudest first (the order of the server's table). */
export function modeNames() {
  return Object.keys(modes());
}

/** The labels and capabilities of the way of taking part called `name`. */
export function modeInfo(name) {
  return modes()[name] ?? { ...UNKNOWN, label: name, status: name };
}
