/** A standard answer as an admin stored it in the dashboard (over, or beside, data/standard-answers.json). */
export interface StoredStandardAnswer {
  id: string;
  /** Topic ids it fits; null means every topic. */
  topics: string[] | null;
  title: { nl: string; en: string };
  text: { nl: string; en: string };
  /** A deleted answer hides the data file's answer with the same id. */
  deleted: boolean;
  updatedAt: Date;
  /** `staff:<account id>`. */
  updatedBy: string;
}

/** The dashboard's edits to the standard answers, one row per answer id. */
export interface StandardAnswerRepository {
  /** Every stored row (deleted ones included), by id. */
  all(): Promise<StoredStandardAnswer[]>;
  get(id: string): Promise<StoredStandardAnswer | null>;
  /** Inserts or replaces the row with this id. */
  save(answer: StoredStandardAnswer): Promise<void>;
}
