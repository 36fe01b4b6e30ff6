// The words for each kind of round, shared by the stage (room/round.js) and the console's
// rounds panel, so both say the same thing in each language.
import { t } from "./i18n.js";

const WORDS = {
  check_in: {
    title: t("Check-in round"),
    started: t("The check-in round has started."),
    going: (name) => t("A check-in round: {name}'s turn.", { name }),
  },
  check_out: {
    title: t("Check-out round"),
    started: t("The check-out round has started."),
    going: (name) => t("A check-out round: {name}'s turn.", { name }),
  },
};

const ANY = {
  title: t("Round"),
  started: t("A round has started."),
  going: (name) => t("A round: {name}'s turn.", { name }),
};

/** The words for a round of `kind`: its `title`, that it `started`, and whose turn it is (`going(name)`). */
export function roundWords(kind) {
  return WORDS[kind] ?? ANY;
}
