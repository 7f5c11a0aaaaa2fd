/** One plain-text e-mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The mailer port: how staff get a notification by e-mail. Implemented at the edge (src/mail/);
 * without SMTP configured the app wires a mailer that is not `enabled` and sends nothing.
 */
export interface Mailer {
  /** False when no SMTP server is configured: callers then queue nothing (the dashboard is the channel). */
  readonly enabled: boolean;
  /** Sends one message; rejects when the server refuses it (the job queue tries again). */
  send(message: MailMessage): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A mailer that sends nothing: no SMTP_URL. */
export const noMailer: Mailer = {
  enabled: false,
  send: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
