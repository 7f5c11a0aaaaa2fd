import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateSet, templateParameter } from '../../bots/whatsapp-cloud/templates.js';

const shipped = JSON.parse(readFileSync('data/whatsapp-templates.json', 'utf8')) as {
  templates: Record<string, { name: string; parameters: string[]; body: { nl: string; en: string } }>;
};
const context = {
  municipality: 'Rijswijk',
  timeZone: 'Europe/Amsterdam',
  now: new Date('2026-12-01T09:00:00Z'),
};
const booking = { reference: 'AFS-1', start: Date.parse('2026-12-04T08:00:00Z'), place: 'Stadhuis' };

describe('WhatsApp templates (data/whatsapp-templates.json)', () => {
  it('loads the shipped file and fills each notice’s template in the resident’s language', () => {
    const set = TemplateSet.load('data');
    expect(set.build({ name: 'booking.reminder', payload: { booking } }, 'en', context)).toEqual({
      name: 'spreekuur_herinnering',
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Friday 4 December' },
            { type: 'text', text: '09:00' },
          ],
        },
      ],
    });
    expect(
      set.build(
        { name: 'case.answered', payload: { case: { reference: 'RSW-2026-000042' } } },
        'nl',
        context,
      ),
    ).toMatchObject({
      name: 'spreekuur_antwoord_klaar',
      components: [{ parameters: [{ text: 'RSW-2026-000042' }] }],
    });
    // A proposal's new stage outside the window: its own template, naming the proposal.
    expect(
      set.build(
        { name: 'case.proposal_stage', payload: { case: { reference: 'RSW-2026-000043' }, reason: null } },
        'en',
        context,
      ),
    ).toMatchObject({
      name: 'spreekuur_voorstel_nieuws',
      components: [{ parameters: [{ text: 'RSW-2026-000043' }] }],
    });
    // Any other event, or none: the default template.
    for (const notice of [null, { name: 'live.start', payload: {} }])
      expect(set.build(notice, 'nl', context)).toMatchObject({
        name: 'spreekuur_nieuw_bericht',
        components: [{ parameters: [{ text: 'Rijswijk' }] }],
      });
  });

  const broken = (change: (file: typeof shipped) => void) => {
    const copy = structuredClone(shipped);
    change(copy);
    return () => TemplateSet.parse(copy, 'data/whatsapp-templates.json');
  };

  it.each([
    [
      'no default',
      (f: typeof shipped) => delete f.templates.default,
      /templates: needs a 'default' template/,
    ],
    [
      'an unknown notice',
      (f: typeof shipped) => (f.templates['booking.moved'] = f.templates.default!),
      /templates\.booking\.moved: unknown notice/,
    ],
    [
      'a parameter the notice does not have',
      (f: typeof shipped) => (f.templates['case.answered']!.parameters = ['time']),
      /templates\.case\.answered\.parameters\[0\]: "time" is not one of municipality, reference/,
    ],
    [
      'placeholders that do not match the parameters',
      (f: typeof shipped) => (f.templates['booking.reminder']!.body.en = 'Reminder on {{1}}.'),
      /templates\.booking\.reminder\.body\.en: has 1 placeholders \(\{\{1\}\}…\) but 2 parameters/,
    ],
    [
      'a name Meta would refuse',
      (f: typeof shipped) => (f.templates.default!.name = 'Spreekuur Nieuw'),
      /templates\.default\.name: expected the approved name/,
    ],
  ])('stops start-up naming the field for %s', (_what, change, message) => {
    expect(broken(change)).toThrow(message);
    expect(broken(change)).toThrow(/^Data error: data\/whatsapp-templates\.json: /);
  });

  it('flattens parameters WhatsApp would refuse (new lines, tabs, long runs of spaces, empty)', () => {
    expect(templateParameter('Stadhuis\n\tRijswijk      Bogaard')).toBe('Stadhuis Rijswijk Bogaard');
    expect(templateParameter('   ')).toBe('-');
    expect([...templateParameter('x'.repeat(500))]).toHaveLength(200);
  });
});
