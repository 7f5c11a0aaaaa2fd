import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../ports/mailer.js';

/** Sends e-mail through an SMTP server (`smtp://` or `smtps://user:password@host:port`) with nodemailer. */
export class SmtpMailer implements Mailer {
  readonly enabled = true;
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(url);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
