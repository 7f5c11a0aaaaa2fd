/** Where a message goes or comes from: a channel and that channel's id for a person. */
export interface Address {
  /** 'console', 'telegram', 'whatsapp' or 'web'. */
  channel: string;
  /** The channel's own id for the person (Telegram chat id, WhatsApp id, console name). */
  userId: string;
}

/** The key of one conversation: one person on one channel (`channel:userId`). */
export function conversationKey(address: Address): string {
  return `${address.channel}:${address.userId}`;
}

/**
 * The address staff mean when they type a resident's chat identity (privacy requests, unlinking a
 * chat): a WhatsApp number with its country code, as typed (`31612345678`, `+31 6 1234 5678`), is the
 * id both WhatsApp channels give that person (`31612345678@c.us`). Anything else is taken as it is.
 */
export function typedAddress(channel: string, userId: string): Address {
  const id = userId.trim();
  // 0031… is +31…: the international call prefix is not part of the number.
  const digits = id.replace(/[\s+-]/g, '').replace(/^00(?=[1-9])/, '');
  if (channel === 'whatsapp' && /^\+?[\d\s-]+$/.test(id) && /^\d{6,20}$/.test(digits))
    return { channel, userId: `${digits}@c.us` };
  return { channel, userId: id };
}

/**
 * Whether staff typed a WhatsApp number the national way (`06 12345678`): without its country code
 * it is no id WhatsApp gives, so a search for it finds nobody. Such a number is refused, not guessed.
 */
export function lacksCountryCode(channel: string, userId: string): boolean {
  return channel === 'whatsapp' && /^0[1-9][\d\s-]*$/.test(userId.trim());
}

/** The address a conversation key stands for; the inverse of `conversationKey` (user ids may hold colons). */
export function addressOfKey(key: string): Address {
  const at = key.indexOf(':');
  if (at <= 0) throw new RangeError(`not a conversation key: "${key}"`);
  return { channel: key.slice(0, at), userId: key.slice(at + 1) };
}

/**
 * The channel name of an alderman who runs a live session from the dashboard instead of a chat:
 * nothing is sent there; the dashboard reads the session's transcript.
 */
export const DASHBOARD_CHANNEL = 'dashboard';

/** Whether an address is the dashboard rather than a chat one can send to. */
export function onDashboard(address: Address): boolean {
  return address.channel === DASHBOARD_CHANNEL;
}
