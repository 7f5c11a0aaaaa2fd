import { createHash } from 'node:crypto';
import type { Choice } from '../../src/ports/messages.js';
import { BoundedMap } from '../common/bounded.js';

/** Telegram refuses a button whose callback_data is longer than this (BUTTON_DATA_INVALID). */
export const MAX_CALLBACK_DATA_BYTES = 64;
/** Marks hashed data; ids that start with it are hashed too, so a raw id never looks like a hash. */
const HASH_PREFIX = '~h:';

/** What a pressed button stands for. */
export interface PressedChoice {
  choiceId: string;
  label?: string;
}

/**
 * Turns choice ids into callback_data and back. Short ids travel as they are; longer ones as a
 * short hash, remembered here (in memory, bounded). The label travels in the keyboard itself, so
 * after a restart a hashed press still reaches the engine with its label as text.
 */
export class CallbackDataMap {
  private readonly pressed: BoundedMap<string, PressedChoice>;

  constructor(capacity = 20_000) {
    this.pressed = new BoundedMap(capacity);
  }

  /** The callback_data for a choice; remembers it so a press can be mapped back. */
  encode(choice: Choice): string {
    const data = needsHash(choice.id) ? hashed(choice.id) : choice.id;
    this.pressed.set(data, { choiceId: choice.id, label: choice.label });
    return data;
  }

  /** The choice behind pressed callback_data; unknown data is passed on as the id itself. */
  decode(data: string): PressedChoice {
    return this.pressed.get(data) ?? { choiceId: data };
  }
}

function needsHash(id: string): boolean {
  return Buffer.byteLength(id, 'utf8') > MAX_CALLBACK_DATA_BYTES || id.startsWith(HASH_PREFIX);
}

function hashed(id: string): string {
  return HASH_PREFIX + createHash('sha256').update(id, 'utf8').digest('base64url').slice(0, 22);
}
