/** What the webcare feature tells a resident's conversation, by event name. */
export interface WebcareEvents {
  /** An operator took the conversation over; the bot stays silent until it is handed back. */
  'webcare.taken': Record<string, never>;
  /**
   * An operator's reply, said to the resident as it is; `operatorId` (their account) names them to
   * colleagues in the transcript. Replies queued before it was carried have none.
   */
  'webcare.reply': { text: string; operatorId?: string };
  /** The operator handed the conversation back to the bot: the resident is told and sees the menu. */
  'webcare.handed_back': Record<string, never>;
  /** The operator made a case of the conversation: its reference and answer-by date (epoch ms). */
  'webcare.case_made': { reference: string; answerBy: number };
}
