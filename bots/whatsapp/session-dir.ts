import { chmod, mkdir } from 'node:fs/promises';

/**
 * Makes sure the WhatsApp session folder exists and only this user can read it (0700): it holds
 * the linked-device keys, which are as good as the phone itself. An existing folder is tightened.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
}
