// Every console action goes through here: sent with RoomClient.send, refusals shown politely.
import { clearRefusal, refuse, tell } from "./live-regions.js";

/**
 * Send `name` with `payload` (undefined for none); on success announce `success` (if given)
 * and resolve to the ack; on refusal show the server's message and resolve to the ack.
 */
export async function act(client, name, payload, success = null) {
  const ack = await client.send(name, payload);
  if (ack?.ok) {
    clearRefusal();
    if (success) tell(typeof success === "function" ? success(ack) : success);
  } else {
    refuse(ack);
  }
  return ack ?? { ok: false };
}
