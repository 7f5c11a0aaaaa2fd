/** Parts of a day a resident may name for a time ("woensdagavond", "Tuesday afternoon"). */
export const DAY_PARTS = ['morning', 'afternoon', 'evening'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

/** The local hours each part of the day covers, from (inclusive) to (exclusive). */
export const DAY_PART_HOURS: Record<DayPart, readonly [number, number]> = {
  morning: [0, 12],
  afternoon: [12, 18],
  evening: [18, 24],
};
