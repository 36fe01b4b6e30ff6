// The facilitator's list of sessions: its times in the reader's own zone.
import { localizeTimes } from "../shared/time.js";

localizeTimes();
