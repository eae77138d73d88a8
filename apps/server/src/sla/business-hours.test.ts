import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar, WeeklyHours } from './business-hours.ts';
import {
  ALWAYS_OPEN,
  addBusinessTime,
  businessTimeBetween,
  isOpen,
  nextOpening,
  validateCalendar,
} from './business-hours.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string): Date => new Date(iso);

function everyDay(
  days: readonly (0 | 1 | 2 | 3 | 4 | 5 | 6)[],
  open: string,
  close: string,
): WeeklyHours {
  return days.map((day) => ({ day, open, close }));
}

const WEEKDAYS = [1, 2, 3, 4, 5] as const;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6] as const;

const shanghai: BusinessCalendar = {
  timezone: 'Asia/Shanghai',
  weekly: everyDay(WEEKDAYS, '09:00', '18:00'),
  holidays: [{ date: '2026-10-01', name: '国庆节 National Day' }],
};

describe('Shanghai weekday hours (09:00–18:00, Mon–Fri, UTC+8)', () => {
  it('is open inside the hours, with the opening minute included and the closing one excluded', () => {
    expect(isOpen(shanghai, at('2026-06-03T10:00:00+08:00'))).toBe(true);
    expect(isOpen(shanghai, at('2026-06-03T09:00:00+08:00'))).toBe(true);
    expect(isOpen(shanghai, at('2026-06-03T17:59:59.999+08:00'))).toBe(true);
    expect(isOpen(shanghai, at('2026-06-03T08:59:59.999+08:00'))).toBe(false);
    expect(isOpen(shanghai, at('2026-06-03T18:00:00+08:00'))).toBe(false);
  });

  it('is closed at the weekend and next opens on Monday morning', () => {
    const saturday = at('2026-06-06T12:00:00+08:00');
    expect(isOpen(shanghai, saturday)).toBe(false);
    expect(nextOpening(shanghai, saturday)).toEqual(at('2026-06-08T09:00:00+08:00'));
  });

  it('returns the instant itself as the next opening when already open', () => {
    const open = at('2026-06-03T11:22:33.444+08:00');
    expect(nextOpening(shanghai, open)).toEqual(open);
  });

  it('is closed all day on a holiday (National Day, a Thursday)', () => {
    expect(isOpen(shanghai, at('2026-10-01T10:00:00+08:00'))).toBe(false);
    expect(nextOpening(shanghai, at('2026-09-30T18:30:00+08:00'))).toEqual(
      at('2026-10-02T09:00:00+08:00'),
    );
  });

  it('adds business time across a weekend', () => {
    // Friday 17:00 + 2h: one hour on Friday, one on Monday.
    expect(addBusinessTime(shanghai, at('2026-06-05T17:00:00+08:00'), 2 * HOUR)).toEqual(
      at('2026-06-08T10:00:00+08:00'),
    );
  });

  it('adds business time across a holiday and a weekend', () => {
    const wednesdayEvening = at('2026-09-30T17:00:00+08:00');
    // 1h Wednesday + 9h Friday (Thursday is the holiday): due exactly at Friday's close.
    expect(addBusinessTime(shanghai, wednesdayEvening, 10 * HOUR)).toEqual(
      at('2026-10-02T18:00:00+08:00'),
    );
    expect(addBusinessTime(shanghai, wednesdayEvening, 11 * HOUR)).toEqual(
      at('2026-10-05T10:00:00+08:00'),
    );
    const goldenWeek: BusinessCalendar = {
      ...shanghai,
      holidays: ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}` })),
    };
    expect(addBusinessTime(goldenWeek, wednesdayEvening, 3 * HOUR)).toEqual(
      at('2026-10-08T11:00:00+08:00'),
    );
  });

  it('gives the closing time, not the next opening, when the time runs out at close', () => {
    expect(addBusinessTime(shanghai, at('2026-06-03T09:00:00+08:00'), 9 * HOUR)).toEqual(
      at('2026-06-03T18:00:00+08:00'),
    );
  });

  it('starts counting at the next opening when started while closed', () => {
    expect(addBusinessTime(shanghai, at('2026-06-06T03:00:00+08:00'), 30 * MINUTE)).toEqual(
      at('2026-06-08T09:30:00+08:00'),
    );
  });

  it('returns the start for a zero duration and rejects negative ones', () => {
    const sunday = at('2026-06-07T12:00:00+08:00');
    expect(addBusinessTime(shanghai, sunday, 0)).toEqual(sunday);
    expect(() => addBusinessTime(shanghai, sunday, -1)).toThrow(RangeError);
  });

  it('adds many weeks interval by interval (52 weeks of 45 hours, one holiday)', () => {
    const started = performance.now();
    expect(addBusinessTime(shanghai, at('2026-01-05T09:00:00+08:00'), 52 * 45 * HOUR)).toEqual(
      at('2027-01-04T18:00:00+08:00'), // a day later for National Day
    );
    // A minute-by-minute walk over a year takes far longer than this.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('counts 45 open hours in an ordinary week and nothing in a reversed range', () => {
    const monday = at('2026-06-08T00:00:00+08:00');
    const nextMonday = at('2026-06-15T00:00:00+08:00');
    expect(businessTimeBetween(shanghai, monday, nextMonday)).toBe(45 * HOUR);
    expect(businessTimeBetween(shanghai, nextMonday, monday)).toBe(0);
    expect(
      businessTimeBetween(shanghai, at('2026-06-06T00:00:00+08:00'), monday), // the weekend
    ).toBe(0);
    // The week of National Day: four working days.
    expect(
      businessTimeBetween(
        shanghai,
        at('2026-09-28T00:00:00+08:00'),
        at('2026-10-05T00:00:00+08:00'),
      ),
    ).toBe(36 * HOUR);
  });
});

describe('an overnight shift written as two intervals', () => {
  // Night desk: Monday to Friday 22:00 until 06:00 the next morning.
  const nightDesk: BusinessCalendar = {
    timezone: 'Asia/Shanghai',
    weekly: [
      ...everyDay(WEEKDAYS, '22:00', '24:00'),
      ...everyDay([2, 3, 4, 5, 6], '00:00', '06:00'),
    ],
    holidays: [],
  };

  it('is open on both sides of midnight', () => {
    expect(isOpen(nightDesk, at('2026-06-08T23:30:00+08:00'))).toBe(true); // Monday night
    expect(isOpen(nightDesk, at('2026-06-09T00:00:00+08:00'))).toBe(true);
    expect(isOpen(nightDesk, at('2026-06-09T03:00:00+08:00'))).toBe(true);
    expect(isOpen(nightDesk, at('2026-06-09T06:00:00+08:00'))).toBe(false);
    expect(isOpen(nightDesk, at('2026-06-08T21:59:00+08:00'))).toBe(false);
    expect(isOpen(nightDesk, at('2026-06-08T03:00:00+08:00'))).toBe(false); // Monday 03:00: no Sunday shift
  });

  it('adds and measures time straight through midnight', () => {
    expect(addBusinessTime(nightDesk, at('2026-06-08T23:00:00+08:00'), 2 * HOUR)).toEqual(
      at('2026-06-09T01:00:00+08:00'),
    );
    expect(
      businessTimeBetween(
        nightDesk,
        at('2026-06-08T21:00:00+08:00'),
        at('2026-06-09T07:00:00+08:00'),
      ),
    ).toBe(8 * HOUR);
    // Friday night's shift ends Saturday 06:00; the next one starts Monday 22:00.
    expect(nextOpening(nightDesk, at('2026-06-13T06:00:00+08:00'))).toEqual(
      at('2026-06-15T22:00:00+08:00'),
    );
  });
});

describe('daylight saving time', () => {
  const london: BusinessCalendar = {
    timezone: 'Europe/London',
    weekly: everyDay(WEEKDAYS, '09:00', '17:30'),
    holidays: [],
  };

  it('follows the wall clock across the spring change (29 March 2026, GMT → BST)', () => {
    // 09:00 on Friday is 09:00 UTC; on Monday it is 08:00 UTC.
    expect(isOpen(london, at('2026-03-27T09:00:00Z'))).toBe(true);
    expect(isOpen(london, at('2026-03-30T07:59:00Z'))).toBe(false);
    expect(isOpen(london, at('2026-03-30T08:00:00Z'))).toBe(true);
    expect(nextOpening(london, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-30T08:00:00Z'));
    // Friday 17:00 GMT + 1h: 30 minutes on Friday, 30 on Monday morning (BST).
    expect(addBusinessTime(london, at('2026-03-27T17:00:00Z'), HOUR)).toEqual(
      at('2026-03-30T08:30:00Z'),
    );
  });

  it('follows the wall clock across the autumn change (25 October 2026, BST → GMT)', () => {
    expect(addBusinessTime(london, at('2026-10-23T16:00:00Z'), HOUR)).toEqual(
      at('2026-10-26T09:30:00Z'),
    );
  });

  it('follows the wall clock across the New York changes (8 March and 1 November 2026)', () => {
    const newYork: BusinessCalendar = {
      timezone: 'America/New_York',
      weekly: everyDay(WEEKDAYS, '09:00', '17:00'),
      holidays: [],
    };
    // Friday 17:00 EST is 22:00 UTC; Monday 10:00 EDT is 14:00 UTC.
    expect(addBusinessTime(newYork, at('2026-03-06T21:00:00Z'), 2 * HOUR)).toEqual(
      at('2026-03-09T14:00:00Z'),
    );
    expect(addBusinessTime(newYork, at('2026-10-30T20:30:00Z'), HOUR)).toEqual(
      at('2026-11-02T14:30:00Z'),
    );
  });

  it('counts 23 hours in the spring Sunday and 25 in the autumn one', () => {
    const sundays: BusinessCalendar = {
      timezone: 'Europe/London',
      weekly: [{ day: 0, open: '00:00', close: '24:00' }],
      holidays: [],
    };
    expect(
      businessTimeBetween(sundays, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z')),
    ).toBe(23 * HOUR);
    expect(
      businessTimeBetween(sundays, at('2026-10-24T00:00:00Z'), at('2026-10-27T00:00:00Z')),
    ).toBe(25 * HOUR);
  });

  it('treats wall-clock times skipped in spring as the moment of the jump', () => {
    // 01:00–02:00 does not exist on 29 March: 00:30–01:30 is open 00:30–01:00 UTC only.
    const early: BusinessCalendar = {
      timezone: 'Europe/London',
      weekly: [{ day: 0, open: '00:30', close: '01:30' }],
      holidays: [],
    };
    expect(businessTimeBetween(early, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(
      30 * MINUTE,
    );
    // An interval wholly inside the gap is not open at all that day.
    const inGap: BusinessCalendar = {
      timezone: 'Europe/London',
      weekly: [{ day: 0, open: '01:10', close: '01:50' }],
      holidays: [],
    };
    expect(businessTimeBetween(inGap, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(
      0,
    );
    expect(nextOpening(inGap, at('2026-03-28T00:00:00Z'))).toEqual(at('2026-04-05T00:10:00Z'));
  });

  it('takes the first occurrence of a wall-clock time repeated in autumn', () => {
    // 01:00–02:00 happens twice on 25 October; "until 01:30" means the first 01:30 (BST).
    const lateNight: BusinessCalendar = {
      timezone: 'Europe/London',
      weekly: [{ day: 0, open: '00:00', close: '01:30' }],
      holidays: [],
    };
    expect(
      businessTimeBetween(lateNight, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z')),
    ).toBe(90 * MINUTE);
    expect(isOpen(lateNight, at('2026-10-25T00:15:00Z'))).toBe(true); // 01:15 BST
    expect(isOpen(lateNight, at('2026-10-25T01:15:00Z'))).toBe(false); // 01:15 GMT, again
  });
});

describe('ALWAYS_OPEN and calendars that never open', () => {
  it('is always open and adds plain time', () => {
    const start = at('2026-02-14T23:59:00Z');
    expect(isOpen(ALWAYS_OPEN, start)).toBe(true);
    expect(addBusinessTime(ALWAYS_OPEN, start, 30 * 24 * HOUR + 17)).toEqual(
      new Date(start.getTime() + 30 * 24 * HOUR + 17),
    );
    expect(validateCalendar(ALWAYS_OPEN)).toEqual([]);
    expect(Object.isFrozen(ALWAYS_OPEN.holidays)).toBe(true);
  });

  it('reports no opening, throws on adding time and counts nothing when never open', () => {
    const closed: BusinessCalendar = { timezone: 'Asia/Shanghai', weekly: [], holidays: [] };
    const now = at('2026-06-03T10:00:00Z');
    expect(isOpen(closed, now)).toBe(false);
    expect(nextOpening(closed, now)).toBeNull();
    expect(() => addBusinessTime(closed, now, MINUTE)).toThrow(/no open hours/);
    expect(businessTimeBetween(closed, now, at('2036-06-03T10:00:00Z'))).toBe(0);
  });

  it('gives up after about 400 days rather than looping', () => {
    // Open on Mondays, but the next 70 Mondays (until 2027-10-04) are holidays.
    const mondays: BusinessCalendar = {
      timezone: 'UTC',
      weekly: [{ day: 1, open: '09:00', close: '10:00' }],
      holidays: Array.from({ length: 70 }, (_, i) => ({
        date: new Date(Date.UTC(2026, 5, 8) + i * 7 * 24 * HOUR).toISOString().slice(0, 10),
      })),
    };
    expect(nextOpening(mondays, at('2026-06-03T00:00:00Z'))).toBeNull();
    // A search starting later reaches the first Monday after the listed holidays.
    expect(nextOpening(mondays, at('2027-06-01T00:00:00Z'))).toEqual(at('2027-10-11T09:00:00Z'));
  });

  it('refuses to compute with an unknown time zone', () => {
    expect(() =>
      isOpen({ ...shanghai, timezone: 'Asia/Beijing' }, at('2026-06-03T10:00:00Z')),
    ).toThrow(/Unknown time zone/);
  });
});

describe('validateCalendar', () => {
  it('accepts a well-formed calendar, 24:00 closings and touching intervals', () => {
    expect(validateCalendar(shanghai)).toEqual([]);
    expect(
      validateCalendar({
        timezone: 'America/New_York',
        weekly: [
          { day: 1, open: '09:00', close: '12:00' },
          { day: 1, open: '12:00', close: '24:00' },
        ],
        holidays: [],
      }),
    ).toEqual([]);
  });

  it('names each problem', () => {
    const problems = validateCalendar({
      timezone: 'Asia/Beijing', // not an IANA zone: China uses Asia/Shanghai
      weekly: [
        { day: 1, open: '9:00', close: '18:00' },
        { day: 2, open: '09:00', close: '25:00' },
        { day: 3, open: '18:00', close: '09:00' },
        { day: 4, open: '09:00', close: '12:00' },
        { day: 4, open: '11:00', close: '13:00' },
        { day: 5, open: '24:00', close: '24:00' },
      ],
      holidays: [{ date: '2026-02-30' }, { date: '2026/10/01' }, { date: '2026-10-01' }],
    });
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/Unknown time zone "Asia\/Beijing"/);
    expect(problems.join('\n')).toMatch(/Monday: opening time "9:00"/);
    expect(problems.join('\n')).toMatch(/Tuesday: closing time "25:00"/);
    expect(problems.join('\n')).toMatch(
      /Wednesday: closing time 09:00 is not after opening time 18:00/,
    );
    expect(problems.join('\n')).toMatch(/Thursday: intervals 09:00–12:00 and 11:00–13:00 overlap/);
    expect(problems.join('\n')).toMatch(/Friday: opening time "24:00"/);
    expect(problems.join('\n')).toMatch(/"2026-02-30" is not a date/);
    expect(problems.join('\n')).toMatch(/"2026\/10\/01" is not a date/);
    expect(problems.join('\n')).not.toMatch(/2026-10-01/);
  });

  it('catches an overlap hidden behind a shorter interval', () => {
    const problems = validateCalendar({
      timezone: 'UTC',
      weekly: [
        { day: 1, open: '09:00', close: '18:00' },
        { day: 1, open: '10:00', close: '11:00' },
        { day: 1, open: '12:00', close: '13:00' },
      ],
      holidays: [],
    });
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/09:00–18:00 and 12:00–13:00 overlap/);
  });

  it('flags a calendar with no opening hours', () => {
    expect(validateCalendar({ timezone: 'UTC', weekly: [], holidays: [] })).toEqual([
      expect.stringMatching(/No opening hours/),
    ]);
  });
});

describe('properties', () => {
  const calendars: BusinessCalendar[] = [
    {
      ...shanghai,
      holidays: [...shanghai.holidays, { date: '2026-01-01' }, { date: '2027-02-17' }],
    },
    {
      // Split shifts and a Saturday, in a zone with DST.
      timezone: 'Europe/London',
      weekly: [
        ...everyDay(WEEKDAYS, '09:00', '12:30'),
        ...everyDay(WEEKDAYS, '13:30', '17:30'),
        { day: 6, open: '10:00', close: '14:00' },
      ],
      holidays: [{ date: '2026-12-25' }, { date: '2026-12-28' }],
    },
    {
      // Hours that straddle the DST jumps themselves.
      timezone: 'America/New_York',
      weekly: [...everyDay(ALL_DAYS, '00:30', '02:30'), ...everyDay(ALL_DAYS, '22:00', '24:00')],
      holidays: [],
    },
  ];
  const transitions = [
    '2026-03-08T07:00:00Z',
    '2026-03-29T01:00:00Z',
    '2026-10-25T01:00:00Z',
    '2026-11-01T06:00:00Z',
  ].map((iso) => Date.parse(iso));

  const calendar = fc.constantFrom(...calendars);
  // Anywhere in three years, or within three days of a DST change.
  const start = fc.oneof(
    fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
    fc
      .tuple(
        fc.constantFrom(...transitions),
        fc.integer({ min: -3 * 24 * HOUR, max: 3 * 24 * HOUR }),
      )
      .map(([t, delta]) => t + delta),
  );
  const duration = fc.oneof(
    fc.integer({ min: 0, max: 400 * HOUR }),
    fc.integer({ min: 0, max: 3 * HOUR }),
  );

  it('businessTimeBetween(s, addBusinessTime(s, ms)) === ms', () => {
    fc.assert(
      fc.property(calendar, start, duration, (c, s, ms) => {
        const from = new Date(s);
        expect(businessTimeBetween(c, from, addBusinessTime(c, from, ms))).toBe(ms);
      }),
    );
  });

  it('addBusinessTime ends on an open millisecond', () => {
    fc.assert(
      fc.property(calendar, start, fc.integer({ min: 1, max: 400 * HOUR }), (c, s, ms) => {
        const due = addBusinessTime(c, new Date(s), ms);
        expect(isOpen(c, new Date(due.getTime() - 1))).toBe(true);
      }),
    );
  });

  it('nextOpening is open, not earlier than the start, with no open time before it', () => {
    fc.assert(
      fc.property(calendar, start, (c, s) => {
        const from = new Date(s);
        const opening = nextOpening(c, from);
        expect(opening).not.toBeNull();
        if (!opening) return;
        expect(opening.getTime()).toBeGreaterThanOrEqual(s);
        expect(isOpen(c, opening)).toBe(true);
        expect(businessTimeBetween(c, from, opening)).toBe(0);
        expect(isOpen(c, from)).toBe(opening.getTime() === s);
      }),
    );
  });

  it('businessTimeBetween is additive over adjacent ranges', () => {
    fc.assert(
      fc.property(
        calendar,
        start,
        fc.integer({ min: 0, max: 20 * 24 * HOUR }),
        fc.integer({ min: 0, max: 20 * 24 * HOUR }),
        (c, s, d1, d2) => {
          const [a, b, e] = [new Date(s), new Date(s + d1), new Date(s + d1 + d2)];
          expect(businessTimeBetween(c, a, b) + businessTimeBetween(c, b, e)).toBe(
            businessTimeBetween(c, a, e),
          );
        },
      ),
    );
  });
});
