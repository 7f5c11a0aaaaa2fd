import { formatShort } from '../../src/i18n/format.js';
import type { OfferedChoice } from '../../src/understanding/choices.js';
import type { StepKind } from '../../src/understanding/matcher.js';

type Lang = 'nl' | 'en';

/** Five slots as the booking flow shows them (Rijswijk's time zone, the resident's language). */
const SLOTS = [
  Date.UTC(2026, 11, 4, 8, 0), // Fri 4 Dec 09:00
  Date.UTC(2026, 11, 4, 8, 50), // Fri 4 Dec 09:50
  Date.UTC(2026, 11, 8, 12, 0), // Tue 8 Dec 13:00
  Date.UTC(2026, 11, 8, 15, 0), // Tue 8 Dec 16:00
  Date.UTC(2026, 11, 9, 18, 30), // Wed 9 Dec 19:30
];
const KINDS = {
  nl: ['chat', 'telefoon', 'chat', 'in het raadhuis', 'chat'],
  en: ['chat', 'phone', 'chat', 'at the town hall', 'chat'],
};

const L = (nl: string, en: string) => ({ nl, en });

/** The choices of each step, with the labels the flows show (data/i18n), in both languages. */
const CHOICES: Record<string, (lang: Lang) => OfferedChoice[]> = {
  menu: (lang) => [
    { id: 'district', ...pick(lang, L('Wie is mijn wijkwethouder?', 'Who is my district alderman?')) },
    {
      id: 'book',
      ...pick(lang, L('Afspraak maken met de wethouder', 'Make an appointment with the alderman')),
    },
    { id: 'my-appointments', ...pick(lang, L('Mijn afspraken', 'My appointments')) },
    { id: 'ask', ...pick(lang, L('Een vraag stellen', 'Ask a question')) },
    { id: 'my-questions', ...pick(lang, L('Mijn vragen', 'My questions')) },
    { id: 'person', ...pick(lang, L('Praten met een medewerker', 'Talk to a person')) },
    { id: 'language', ...pick(lang, L('English', 'Nederlands')) },
  ],
  'book.alderman': (lang) => [
    {
      id: 'alderman:fatma-yilmaz',
      means: 'yes',
      ...pick(lang, L('Ja, met Fatma Yilmaz', 'Yes, with Fatma Yilmaz')),
    },
    { id: 'other', means: 'no', ...pick(lang, L('Een andere wethouder', 'Another alderman')) },
  ],
  'book.choose-alderman': () => [
    { id: 'alderman:anna-de-vries', label: 'Anna de Vries' },
    { id: 'alderman:mohamed-el-amrani', label: 'Mohamed El Amrani' },
    { id: 'alderman:pieter-jansen', label: 'Pieter Jansen' },
    { id: 'alderman:fatma-yilmaz', label: 'Fatma Yilmaz' },
  ],
  'book.slot': (lang) => [
    ...SLOTS.map((s, i) => ({
      id: `slot:${i + 1}`,
      label: `${formatShort(new Date(s), lang, 'Europe/Amsterdam')} (${KINDS[lang][i]})`,
    })),
    { id: 'later', ...pick(lang, L('Latere tijden', 'Later times')) },
    { id: 'stop', means: 'no', ...pick(lang, L('Stoppen', 'Stop')) },
  ],
  'book.confirm': (lang) => [
    {
      id: 'yes',
      means: 'yes',
      acts: true,
      confirms: 'book',
      ...pick(lang, L('Ja, afspraak maken', 'Yes, make the appointment')),
    },
    { id: 'other-time', ...pick(lang, L('Andere tijd kiezen', 'Choose another time')) },
    { id: 'stop', means: 'no', ...pick(lang, L('Stoppen', 'Stop')) },
  ],
  'stop.confirm': (lang) => [
    { id: 'yes', means: 'yes', acts: true, ...pick(lang, L('Ja, stop', 'Yes, stop')) },
    { id: 'no', means: 'no', ...pick(lang, L('Nee, ga door', 'No, continue')) },
  ],
  'appointments.pick': (lang) => [
    { id: 'move:b1', ...pick(lang, L('Verzetten: vr 4 dec, 09:50', 'Move: Fri, Dec 4, 09:50')) },
    { id: 'cancel:b1', ...pick(lang, L('Afzeggen: vr 4 dec, 09:50', 'Cancel: Fri, Dec 4, 09:50')) },
    { id: 'menu', ...pick(lang, L('Terug naar het menu', 'Back to the menu')) },
  ],
  'appointments.cancel': (lang) => [
    { id: 'yes', means: 'yes', acts: true, ...pick(lang, L('Ja, afzeggen', 'Yes, cancel it')) },
    { id: 'no', means: 'no', ...pick(lang, L('Nee, laat staan', 'No, keep it')) },
  ],
  'ask.confirm': (lang) => [
    { id: 'send', means: 'yes', acts: true, ...pick(lang, L('Ja, versturen', 'Yes, send it')) },
    { id: 'restart', ...pick(lang, L('Nee, opnieuw schrijven', 'No, write it again')) },
    { id: 'cancel', means: 'no', ...pick(lang, L('Stoppen', 'Stop')) },
  ],
  'propose.confirm': (lang) => [
    { id: 'send', means: 'yes', acts: true, ...pick(lang, L('Ja, versturen', 'Yes, send it')) },
    { id: 'restart', ...pick(lang, L('Nee, opnieuw beginnen', 'No, start again')) },
    { id: 'cancel', means: 'no', ...pick(lang, L('Stoppen', 'Stop')) },
  ],
  'ask.topic': (lang) =>
    (
      [
        ['afval', L('Afval', 'Waste and recycling')],
        ['verkeer', L('Verkeer en parkeren', 'Traffic and parking')],
        ['groen', L('Groen en openbare ruimte', 'Parks and public space')],
        ['veiligheid', L('Veiligheid', 'Safety')],
        ['wonen', L('Wonen en bouwen', 'Housing and building')],
        ['zorg', L('Zorg en welzijn', 'Care and wellbeing')],
        ['evenementen', L('Evenementen', 'Events')],
        ['overig', L('Iets anders', 'Something else')],
      ] as [string, { nl: string; en: string }][]
    ).map(([id, label]) => ({ id: `topic:${id}`, ...pick(lang, label) })),
  'district.remember': (lang) => [
    { id: 'yes', means: 'yes', ...pick(lang, L('Ja, onthoud mijn wijk', 'Yes, remember my district')) },
    { id: 'no', means: 'no', ...pick(lang, L('Nee, liever niet', 'No, rather not')) },
  ],
  'district.which': (lang) => [
    { id: 'district:oud-rijswijk', label: 'Oud Rijswijk' },
    { id: 'district:rembrandtkwartier', label: 'Rembrandtkwartier' },
    { id: 'district:muziekbuurt', label: 'Muziekbuurt, Cluis en Eelaart' },
    { id: 'district:havenkwartier', label: 'Havenkwartier' },
    { id: 'district:stationskwartier', label: 'Stationskwartier' },
    { id: 'again', ...pick(lang, L('Andere postcode', 'Another postcode')) },
  ],
};

function pick(lang: Lang, label: { nl: string; en: string }): { label: string } {
  return { label: label[lang] };
}

/** Steps where a yes/no is the answer (a confirmation); the others wait for a choice or text. */
const CONFIRMS = new Set([
  'book.confirm',
  'stop.confirm',
  'appointments.cancel',
  'ask.confirm',
  'propose.confirm',
  'district.remember',
]);

/** The step a corpus line is typed at, as the matcher sees it. */
export function stepAt(at: string, lang: Lang): StepKind {
  if (at === 'idle') return { kind: 'open' };
  if (at === 'district.ask' || at === 'book.topic' || at === 'ask.text' || at.startsWith('propose.text'))
    return { kind: 'text' };
  const choices = CHOICES[at]?.(lang);
  if (!choices) throw new Error(`corpus: unknown step "${at}"`);
  if (at === 'menu') return { kind: 'open', choices };
  return CONFIRMS.has(at) ? { kind: 'confirm', choices } : { kind: 'choice', choices };
}

/** Choices at a step that book, cancel, send or stop: reading one of them by mistake is never allowed. */
export function actingChoices(at: string, lang: Lang): string[] {
  return (CHOICES[at]?.(lang) ?? []).filter((c) => c.acts).map((c) => c.id);
}
