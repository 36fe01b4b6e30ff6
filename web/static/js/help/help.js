// The /help pages: everything is in the HTML; scripts only make "Exit now" leave without a way back.
import { installExitNow } from "../shared/exit-now.js";

installExitNow(document);
