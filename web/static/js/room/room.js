// The room stage: people, the talking piece, reactions, chat, the clock, and the person's own
// choices. Mounted by the participant's page and by the facilitator console.
import { announce } from "../shared/announce.js";
import { checkedValue, el, find, openDialog } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { modeInfo, modeNames } from "../shared/modes.js";
import { refusalText } from "../shared/refusals.js";
import { clockTime, countdownText, inMinutesText, minutesText } from "../shared/time.js";
import { initials, toneFor } from "./avatar.js";
import { getMedia, stopStream } from "./devices.js";
import { Mesh } from "./media.js";
import { mountRound } from "./round.js";
import { openHelp, requestSupport, showRiskCard } from "./support.js";

const REACTIONS = { i_hear_you: t("I hear you"), thank_you: t("Thank you"), me_too: t("Me too"), sending_care: t("Sending care") };
// What the floor's holder asked of the others, said with their name.
const RESPONSES = {
  welcome_responses: (name) => t("{name} welcomes responses.", { name }),
  just_listening: (name) => t("{name} would like just listening, please.", { name }),
};
const REACTION_SHOWN_MS = 4000;
const SHARE_WARNING_S = 30; // the speaker is told this long before their share time ends

/**
 * Render the stage into `root` (which holds web/templates/room/_stage.html) and keep it in step
 * with the room's `store`. `onExit(reason)` ("left" | "ended" | "removed") hands the page back
 * to its owner.
 */
export function mountRoom(client, store, { root, role, localStream = null, onExit = null }) {
  return new RoomView(client, store, { root, role, localStream, onExit });
}

class RoomView {
  constructor(client, store, { root, role, localStream, onExit }) {
    this.client = client;
    this.store = store;
    this.role = role;
    this.stream = localStream;
    this.onExit = onExit;
    this.stage = find(root, "[data-stage]");
    this.live = find(this.stage, "[data-announce]");
    this.tiles = new Map();
    this.remote = new Map();
    this.shareNoticeFor = null;
    this.shareWarnedFor = null;
    this.exited = false;
    this.mesh = new Mesh(client, store, {
      localStream,
      onRemote: (seatId, stream) => this.setRemote(seatId, stream),
      onRelay: (status) => this.onRelay(status),
    });
    this.bind();
    this.off = [
      client.on("status", (status) => this.onStatus(status)),
      client.on("reaction", (message) => this.onReaction(message)),
      client.on("chat:message", (message) => this.onChat(message)),
      client.on("chat:deleted", ({ id }) => this.stage.querySelector(`[data-chat-log] [data-id="${CSS.escape(id)}"]`)?.remove()),
      client.on("private:message", (message) => this.onPrivate(message)),
      client.on("norm:reminder", (reminder) => this.onNorm(reminder)),
      client.on("support:resources", () => showRiskCard(this.$("[data-support-panel]"))),
      client.on("room:ending", ({ ends_at: endsAt }) => this.onEnding(endsAt)),
      client.on("room:ended", () => this.exit("ended")),
      client.on("room:removed", ({ reason }) => this.exit("removed", reason)),
    ];
    this.ticker = window.setInterval(() => this.tick(), 1000);
    this.off.push(store.subscribe((state, before) => this.render(state, before)));
    this.off.push(mountRound(this.stage, client, store, (text) => this.say(text)));
    if (store.state) this.render(store.state, null);
  }

  $(selector) {
    return find(this.stage, selector);
  }

  say(text) {
    announce(this.live, text);
  }

  /** Say plainly when relayed media cannot flow; nothing falls back to a direct connection. */
  onRelay(status) {
    const unavailable = this.$("[data-relay-unavailable]");
    const failed = this.$("[data-relay-failed]");
    if (status === "unavailable") unavailable.hidden = false;
    if (status === "failed" && failed.hidden) {
      failed.hidden = false;
      this.say(failed.textContent);
    }
    if (status === "connected") failed.hidden = true;
  }

  bind() {
    const participant = this.role === "participant";
    this.$("[data-participant-actions]").hidden = !participant;
    this.$("[data-hand]").addEventListener("click", () => this.toggleHand());
    this.$("[data-floor-release]").addEventListener("click", () => this.client.send("floor:release"));
    for (const button of this.stage.querySelectorAll("[data-response]")) {
      button.addEventListener("click", () => this.client.send("floor:response", { preference: button.dataset.response }));
    }
    for (const button of this.stage.querySelectorAll("[data-reaction]")) {
      button.addEventListener("click", async () => {
        const ack = await this.client.send("reaction:send", { kind: button.dataset.reaction });
        this.say(ack.ok ? t("You sent \"{reaction}\".", { reaction: REACTIONS[button.dataset.reaction] }) : refusalText(ack.error));
      });
    }
    this.$("[data-chat-form]").addEventListener("submit", (event) => this.sendChat(event));
    this.$("[data-sound-on]").addEventListener("click", () => this.playAll());
    if (!participant) {
      // The console has its own private messages with each person, and the chat with its
      // moderation (delete), so the stage shows neither twice.
      this.$("[data-private]").remove();
      this.$("[data-chat]").hidden = true;
      return;
    }
    this.$("[data-private-form]").addEventListener("submit", (event) => this.sendPrivate(event));
    this.$("[data-away]").addEventListener("click", () => this.toggleAway());
    this.$("[data-leave]").addEventListener("click", () => this.askToLeave());
    this.$("[data-support]").addEventListener("click", () => requestSupport(this.client, this.$("[data-support-panel]")));
    this.$("[data-help-open]").addEventListener("click", () => openHelp());
    this.$("[data-mode-select]").addEventListener("change", (event) => this.changeMode(event.target));
    this.$("[data-leave-dialog]").addEventListener("close", (event) => this.onLeaveDialogClosed(event.target));
  }

  // --- state ---------------------------------------------------------------------------

  render(state, before) {
    if (this.exited) return;
    if (state.phase === "ended") {
      this.exit("ended");
      return;
    }
    this.mesh.update();
    this.renderTiles();
    this.renderFloor(state);
    this.renderQueue(state);
    this.renderChoices(state);
    this.$("[data-chat-form]").hidden = !state.chat_enabled;
    this.$("[data-chat-closed]").hidden = state.chat_enabled;
    this.tick();
    if (before) this.announceChanges(before, state);
  }

  announceChanges(before, state) {
    const me = state.you?.seat_id;
    for (const seatId of state.hands) {
      if (before.hands.includes(seatId)) continue;
      this.say(seatId === me
        ? t("Your hand is raised. You are number {place} in the queue.", { place: state.hands.indexOf(seatId) + 1 })
        : t("{name} raised a hand.", { name: this.store.nameOf(seatId) }));
    }
    const was = before.floor?.seat_id ?? null;
    const now = state.floor?.seat_id ?? null;
    if (was !== now) {
      if (now === me) this.say(t("It's your turn: you have the floor. Take your time; \"Pass\" is always fine."));
      else if (now) this.say(t("The floor passed to {name}.", { name: this.store.nameOf(now) }));
      else this.say(t("The floor is open."));
    }
    // The person's own place, when the queue moves ahead of them (a new hand is told above).
    const place = state.hands.indexOf(me);
    const placeBefore = before.hands.indexOf(me);
    if (me && place >= 0 && placeBefore >= 0 && place !== placeBefore) this.say(t("You are now number {place} in the queue.", { place: place + 1 }));
    if (!before.breathing && state.breathing) this.say(t("A breathing pause has started. Breathe in slowly, and out."));
  }

  renderTiles() {
    const list = this.$("[data-tiles]");
    const seats = this.store.inRoom;
    const keep = new Set(seats.map((s) => s.seat_id));
    for (const [seatId, tile] of this.tiles) {
      if (!keep.has(seatId)) {
        tile.item.remove();
        this.tiles.delete(seatId);
      }
    }
    for (const seat of seats) {
      const tile = this.tiles.get(seat.seat_id) ?? this.makeTile(seat);
      list.append(tile.item);
      this.updateTile(tile, seat);
    }
  }

  makeTile(seat) {
    const item = el("li", { class: `tile ${toneFor(seat.seat_id)}`, "data-seat": seat.seat_id });
    const media = el("div", { class: "tile-media" });
    const video = el("video", { autoplay: true, playsinline: true, muted: true, hidden: true });
    video.muted = true;
    const avatar = el("span", { class: "avatar", "aria-hidden": "true" });
    media.append(video, avatar);
    const name = el("p", { class: "tile-name" });
    const badges = el("p", { class: "tile-badges" });
    const reaction = el("p", { class: "tile-reaction", hidden: true });
    const audio = el("audio", { autoplay: true, hidden: true });
    item.append(media, name, badges, reaction, audio);
    const tile = { item, video, avatar, name, badges, reaction, audio, seatId: seat.seat_id };
    this.tiles.set(seat.seat_id, tile);
    if (this.remote.has(seat.seat_id)) this.attach(tile, this.remote.get(seat.seat_id));
    return tile;
  }

  updateTile(tile, seat) {
    const mine = this.store.isMine(seat.seat_id);
    tile.avatar.textContent = initials(seat.display_name);
    tile.name.textContent = mine ? t("{name} (you)", { name: seat.display_name }) : seat.display_name;
    const badges = [];
    if (seat.role === "facilitator") badges.push(t("Facilitator"));
    if (seat.has_floor) badges.push(t("Has the floor"));
    if (modeInfo(seat.mode).badge) badges.push(modeInfo(seat.mode).badge);
    if (seat.hand !== null) badges.push(t("Hand raised ({place})", { place: seat.hand + 1 }));
    if (seat.away) badges.push(t("Stepped away"));
    if (seat.presence === "reconnecting") badges.push(t("Reconnecting…"));
    if (seat.muted) badges.push(t("Microphone paused"));
    tile.badges.replaceChildren(...badges.map((text) => el("span", { class: "badge" }, text)));
    tile.item.classList.toggle("speaking", seat.has_floor);
    tile.item.classList.toggle("away", seat.away || seat.presence === "reconnecting");
    if (mine) {
      // Your own picture, never your own sound.
      const ownVideo = this.stream?.getVideoTracks().length ? this.stream : null;
      if (tile.video.srcObject !== ownVideo) tile.video.srcObject = ownVideo;
      tile.video.hidden = !ownVideo || !seat.may_publish_video || seat.away;
      tile.audio.muted = true;
      return;
    }
    // The receivers keep the talking piece: media plays only while the seat may publish it.
    tile.audio.muted = !seat.may_publish_audio;
    const hasVideo = Boolean(tile.video.srcObject?.getVideoTracks().some((t) => t.readyState === "live"));
    tile.video.hidden = !(seat.may_publish_video && hasVideo);
    if (seat.may_publish_audio && tile.audio.srcObject && tile.audio.paused) this.play(tile.audio);
  }

  setRemote(seatId, stream) {
    if (stream) this.remote.set(seatId, stream);
    else this.remote.delete(seatId);
    const tile = this.tiles.get(seatId);
    if (!tile) return;
    this.attach(tile, stream);
    const seat = this.store.seat(seatId);
    if (seat) this.updateTile(tile, seat);
  }

  attach(tile, stream) {
    if (tile.audio.srcObject !== stream) tile.audio.srcObject = stream;
    if (tile.video.srcObject !== stream) tile.video.srcObject = stream;
    if (stream) this.play(tile.audio);
  }

  play(audio) {
    audio.play().catch(() => {
      // The browser wants a gesture before sound: one calm button brings it.
      this.$("[data-sound-blocked]").hidden = false;
    });
  }

  playAll() {
    for (const tile of this.tiles.values()) if (tile.audio.srcObject) tile.audio.play().catch(() => {});
    this.$("[data-sound-blocked]").hidden = true;
  }

  renderFloor(state) {
    const floor = state.floor;
    const me = state.you;
    const text = this.$("[data-floor-text]");
    const response = this.$("[data-floor-response]");
    if (!floor) {
      text.textContent = state.breathing ? t("A breathing pause.") : t("The circle is open: nobody has the floor.");
      response.hidden = true;
    } else {
      const mine = floor.seat_id === me?.seat_id;
      const name = this.store.nameOf(floor.seat_id);
      text.textContent = mine ? t("You have the floor. Take your time.") : t("{name} has the floor.", { name });
      response.hidden = false;
      response.textContent = mine
        ? (floor.response === "just_listening" ? t("You asked for just listening.") : t("You welcome responses."))
        : (RESPONSES[floor.response] ?? RESPONSES.welcome_responses)(name);
    }
    const holding = Boolean(floor && me && floor.seat_id === me.seat_id);
    this.$("[data-holder-controls]").hidden = !holding;
    for (const button of this.stage.querySelectorAll("[data-response]")) {
      button.setAttribute("aria-pressed", String(holding && floor.response === button.dataset.response));
    }
  }

  renderQueue(state) {
    const queue = this.$("[data-queue]");
    queue.replaceChildren(...state.hands.map((seatId) => el("li", {}, this.store.nameOf(seatId))));
    this.$("[data-queue-empty]").hidden = state.hands.length > 0;
    const me = state.you;
    const hand = this.$("[data-hand]");
    hand.hidden = !me?.may_raise_hand || me.where !== "room";
    // A way of taking part without a hand is a full one; the note says how to change it if wanted.
    this.$("[data-hand-note]").hidden = !me || me.may_raise_hand;
    hand.setAttribute("aria-pressed", String(this.store.handRaised));
  }

  renderChoices(state) {
    const me = state.you;
    if (this.role !== "participant" || !me) return;
    this.$("[data-away]").setAttribute("aria-pressed", String(Boolean(me.away)));
    const select = this.$("[data-mode-select]");
    // Quietest first: the page's table lists them loudest first.
    const modes = modeNames().reverse().filter((m) => m === me.mode || me.may_switch_to.includes(m));
    if (select.dataset.offered !== modes.join() || select.value !== me.mode) {
      select.replaceChildren(...modes.map((m) => el("option", { value: m, selected: m === me.mode }, modeInfo(m).label)));
      select.value = me.mode;
      select.dataset.offered = modes.join();
    }
  }

  // --- the clock, the share timer, the breathing pause -----------------------------------

  tick() {
    const state = this.store.state;
    if (!state) return;
    const now = Date.now() / 1000;
    const left = Date.parse(state.ends_at) / 1000 - now;
    this.$("[data-time-left]").textContent = left > 0
      ? t("Time left: {left} (until {end})", { left: minutesText(left), end: clockTime(state.ends_at) })
      : t("The circle's time is over.");
    this.renderShareTimer(state, now);
    this.renderBreathing(state, now);
  }

  renderShareTimer(state, now) {
    const timer = this.$("[data-share-timer]");
    const floor = state.floor;
    if (!floor?.share_seconds || !floor.share_started_at) {
      timer.hidden = true;
      return;
    }
    const left = floor.share_started_at + floor.share_seconds - now;
    timer.hidden = false;
    const mine = floor.seat_id === state.you?.seat_id;
    const key = `${floor.seat_id}:${floor.share_started_at}`;
    if (left > 0) {
      timer.textContent = t("Time for this share: {left}", { left: countdownText(left) });
      timer.classList.remove("time-up");
      // A gentle word to the speaker before the end, once, when the share is long enough for one.
      if (mine && left <= SHARE_WARNING_S && floor.share_seconds >= 2 * SHARE_WARNING_S && this.shareWarnedFor !== key) {
        this.shareWarnedFor = key;
        this.say(t("About 30 seconds of your share time left. There's no rush."));
      }
      return;
    }
    timer.textContent = t("The share time is up. There's no rush: finish your thought when you're ready.");
    timer.classList.add("time-up");
    if (mine && this.shareNoticeFor !== key) {
      this.shareNoticeFor = key;
      this.say(t("Your share time is up. Finish your thought when you're ready."));
    }
  }

  renderBreathing(state, now) {
    const overlay = this.$("[data-breathing]");
    const breathing = state.breathing;
    overlay.hidden = !(breathing && now < breathing.started_at + breathing.seconds);
  }

  // --- events ------------------------------------------------------------------------------

  onStatus({ status }) {
    const banner = this.$("[data-reconnecting]");
    if (status === "reconnecting") {
      if (banner.hidden) this.say(t("Reconnecting… your seat is kept for you."));
      banner.hidden = false;
    } else if (status === "connected" && !banner.hidden) {
      banner.hidden = true;
      this.say(t("You're connected again."));
    }
  }

  onReaction({ seat_id: seatId, kind }) {
    const tile = this.tiles.get(seatId);
    const text = REACTIONS[kind] ?? "";
    if (tile) {
      tile.reaction.textContent = text;
      tile.reaction.hidden = false;
      window.clearTimeout(tile.reactionTimer);
      tile.reactionTimer = window.setTimeout(() => { tile.reaction.hidden = true; }, REACTION_SHOWN_MS);
    }
    if (!this.store.isMine(seatId)) this.say(t("{name}: {reaction}.", { name: this.store.nameOf(seatId), reaction: text }));
  }

  chatLine(message, mine) {
    const item = el("li", { "data-id": message.id, class: mine ? "mine" : null });
    item.append(el("span", { class: "chat-name" }, mine ? t("You") : message.display_name));
    item.append(el("span", { class: "chat-text" }, message.text));
    item.append(el("time", { datetime: message.sent_at, class: "hint" }, clockTime(message.sent_at)));
    return item;
  }

  onChat(message) {
    const log = this.$("[data-chat-log]");
    log.append(this.chatLine(message, this.store.isMine(message.seat_id)));
    log.scrollTop = log.scrollHeight;
  }

  async sendChat(event) {
    event.preventDefault();
    const field = event.target.elements.text;
    const text = field.value.trim();
    if (!text) return;
    const ack = await this.client.send("chat:send", { text });
    if (ack.ok) field.value = "";
    else this.say(refusalText(ack.error));
  }

  onPrivate(message) {
    const section = this.stage.querySelector("[data-private]");
    if (!section) return;
    section.hidden = false;
    const mine = this.store.isMine(message.from);
    this.privateWith = mine ? message.to : message.from;
    const log = this.$("[data-private-log]");
    log.append(this.chatLine({ ...message, seat_id: message.from }, mine));
    log.scrollTop = log.scrollHeight;
    if (!mine) this.say(t("Private message from {name}: {text}", { name: message.display_name, text: message.text }));
  }

  async sendPrivate(event) {
    event.preventDefault();
    const field = event.target.elements.text;
    const text = field.value.trim();
    if (!text || !this.privateWith) return;
    const ack = await this.client.send("private:send", { to: this.privateWith, text });
    if (ack.ok) field.value = "";
    else this.say(refusalText(ack.error));
  }

  onNorm({ norm, private: personal }) {
    const notice = this.$("[data-norm]");
    const reminder = personal
      ? t("Just for you, a gentle reminder of our agreement: {norm}", { norm })
      : t("A gentle reminder of our agreement: {norm}", { norm });
    notice.replaceChildren(el("span", {}, reminder));
    const dismiss = el("button", { type: "button", class: "quiet" }, t("Thank you"));
    dismiss.addEventListener("click", () => { notice.hidden = true; });
    notice.append(" ", dismiss);
    notice.hidden = false;
    this.say(reminder);
  }

  onEnding(endsAt) {
    const notice = this.$("[data-ending]");
    notice.hidden = false;
    notice.textContent = t("The circle will close at {end}, {soon}.", { end: clockTime(endsAt), soon: inMinutesText(Date.parse(endsAt) / 1000 - Date.now() / 1000) });
  }

  // --- the person's own choices ---------------------------------------------------------

  async toggleHand() {
    const raised = this.store.handRaised;
    const ack = await this.client.send(raised ? "hand:lower" : "hand:raise");
    if (!ack.ok) this.say(refusalText(ack.error));
    else if (raised) this.say(t("Your hand is lowered."));
  }

  async toggleAway() {
    const away = this.store.you?.away;
    const ack = await this.client.send(away ? "presence:back" : "presence:away");
    if (ack.ok) this.say(away ? t("Welcome back.") : t("You've stepped away. Your seat is kept; take the time you need."));
  }

  async changeMode(select) {
    const name = select.value;
    const target = modeInfo(name);
    const current = this.store.you;
    const more = target.sends.some((kind) => !current.sends.includes(kind));
    if (more) {
      let stream = this.stream;
      if (!stream?.getAudioTracks().length) {
        try {
          stream = await getMedia(target, false);
        } catch {
          select.value = current.mode;
          this.say(t("Your microphone could not be used. You can allow it in your browser's settings."));
          return;
        }
      }
      const ack = await this.client.send("mode:set", { mode: name });
      if (!ack.ok) {
        select.value = current.mode;
        this.say(refusalText(ack.error));
        return;
      }
      this.stream = stream;
      this.mesh.setMedia(target.sends, stream);
    } else {
      // Stop sending first, so no description sends more than the new way of taking part allows.
      this.mesh.setMedia(target.sends, this.stream);
      const ack = await this.client.send("mode:set", { mode: name });
      if (!ack.ok) {
        this.mesh.setMedia(current.sends, this.stream);
        select.value = current.mode;
        this.say(refusalText(ack.error));
        return;
      }
      this.releaseDevices(target.sends);
    }
    this.say(t("You now take part as: {mode}.", { mode: target.label }));
  }

  /** Stop the person's own tracks of media the way of taking part no longer sends. */
  releaseDevices(sends) {
    for (const track of this.stream?.getTracks() ?? []) {
      if (!sends.includes(track.kind)) {
        track.stop();
        this.stream.removeTrack(track);
      }
    }
  }

  askToLeave() {
    const dialog = this.$("[data-leave-dialog]");
    dialog.returnValue = "";
    this.$("[data-leave-form]").reset();
    openDialog(dialog);
  }

  async onLeaveDialogClosed(dialog) {
    if (dialog.returnValue !== "leave") return;
    const rating = checkedValue(this.$("[data-leave-form]"), "leaving_now");
    if (rating) await this.client.send("mood:check_out", { rating: Number(rating) });
    await this.client.send("room:leave");
    this.exit("left", null, Boolean(rating));
  }

  exit(reason, detail = null, checkedOut = false) {
    if (this.exited) return;
    this.exited = true;
    this.destroy();
    if (this.onExit) {
      this.onExit(reason, { detail, checkedOut });
    } else {
      this.say(reason === "ended" ? t("The session has ended.") : t("You are no longer in the room."));
    }
  }

  /** Stop listening, close every peer connection and the person's own devices. */
  destroy() {
    window.clearInterval(this.ticker);
    for (const off of this.off) off();
    this.mesh.close();
    for (const tile of this.tiles.values()) {
      tile.audio.srcObject = null;
      tile.video.srcObject = null;
    }
    stopStream(this.stream);
  }
}
