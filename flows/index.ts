import type { Flow, FlowSet, GlobalWord } from '../src/engine/flow.js';
import { MENU } from './common.js';
import { districtFlow } from './district.js';
import { firstContact, guard, idleReset, relay } from './frame.js';
import { languageWord } from './language.js';
import { menuFlow } from './menu.js';
import { helpWord, menuWord, personFlow, personWord } from './person.js';
import { staffLinkFlow, staffLinkWord } from './staff-link.js';
import { startWord, stopFlow, stopWord } from './stop.js';

/** Every flow a conversation can be in. A new flow is one file and one line here. */
const flows: Flow[] = [];
flows.push(
  menuFlow(() => flows),
  districtFlow,
  personFlow,
  stopFlow,
  staffLinkFlow,
);

/** Words that work at any step, checked in this order. */
const globals: GlobalWord[] = [
  startWord,
  stopWord,
  menuWord,
  helpWord,
  languageWord,
  personWord,
  staffLinkWord,
];

/** The municipality's conversation: flows, global words, and what frames every turn. */
export const flowSet: FlowSet = {
  flows,
  globals,
  menu: { ...MENU },
  firstContact,
  idleReset,
  guard,
  relay,
  events: {},
};
