import { IANAZone } from 'luxon';

/** 0 = Sunday. Times are 'HH:mm' wall-clock times in the calendar's time zone; close may be '24:00'. */
export type WeeklyHours = { day: 0 | 1 | 2 | 3 | 4 | 5 | 6; open: string; close: string }[];
/** 'YYYY-MM-DD' local date, closed the whole day. */
export type Holiday = { date: string; name?: string };
export type BusinessCalendar = { timezone: string; weekly: WeeklyHours; holidays: Holiday[] };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead we look for an opening before deciding a calendar never opens. */
const MAX_CLOSED_DAYS = 400;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const alwaysOpenWeekly: WeeklyHours = ([0, 1, 2, 3, 4, 5, 6] as const).map((day) => ({
  day,
  open: '00:00',
  close: '24:00',
}));
const alwaysOpenHolidays: Holiday[] = [];
// Shared constant: freeze it so no caller can add a holiday to everyone's 24/7 calendar.
for (const entry of alwaysOpenWeekly) Object.freeze(entry);
Object.freeze(alwaysOpenWeekly);
Object.freeze(alwaysOpenHolidays);

/** 24/7 in UTC: the calendar of a policy that counts calendar time. */
export const ALWAYS_OPEN: BusinessCalendar = Object.freeze({
  timezone: 'UTC',
  weekly: alwaysOpenWeekly,
  holidays: alwaysOpenHolidays,
});

/** Minutes since local midnight, or null when not 'HH:mm' (close may also be '24:00'). */
function parseMinutes(value: string, allowEndOfDay: boolean): number | null {
  if (allowEndOfDay && value === '24:00') return 24 * 60;
  const match = HH_MM.exec(value);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** True when 'YYYY-MM-DD' names a real calendar date (rejects 2026-02-30). */
function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

export function validateCalendar(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (typeof calendar.timezone !== 'string' || !IANAZone.isValidZone(calendar.timezone)) {
    problems.push(
      `Unknown time zone "${String(calendar.timezone)}": use an IANA name such as Asia/Shanghai.`,
    );
  }

  const byDay = new Map<number, { open: number; close: number; label: string }[]>();
  calendar.weekly.forEach((entry, index) => {
    // The type says 0..6, but calendars arrive as JSON from the admin API.
    if (!Number.isInteger(entry.day) || entry.day < 0 || entry.day > 6) {
      problems.push(
        `Hours #${index + 1}: day must be 0 (Sunday) to 6 (Saturday), got ${String(entry.day)}.`,
      );
      return;
    }
    const dayName = DAY_NAMES[entry.day] ?? String(entry.day);
    const open = parseMinutes(entry.open, false);
    const close = parseMinutes(entry.close, true);
    if (open === null) {
      problems.push(
        `${dayName}: opening time "${entry.open}" is not a 24-hour HH:mm time (00:00 to 23:59).`,
      );
    }
    if (close === null) {
      problems.push(
        `${dayName}: closing time "${entry.close}" is not a 24-hour HH:mm time (00:01 to 24:00).`,
      );
    }
    if (open === null || close === null) return;
    const label = `${entry.open}–${entry.close}`;
    if (close <= open) {
      problems.push(
        `${dayName}: closing time ${entry.close} is not after opening time ${entry.open}; write an overnight shift as two intervals (…–24:00 and 00:00–…).`,
      );
      return;
    }
    const list = byDay.get(entry.day) ?? [];
    list.push({ open, close, label });
    byDay.set(entry.day, list);
  });

  for (const [day, list] of [...byDay.entries()].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.open - b.open);
    // Compare with the latest-closing interval so far, not just the neighbour, so 09:00–18:00
    // also catches 12:00–13:00 after an intervening 10:00–11:00.
    let widest = list[0];
    for (const current of list.slice(1)) {
      if (widest && current.open < widest.close) {
        problems.push(
          `${DAY_NAMES[day] ?? day}: intervals ${widest.label} and ${current.label} overlap.`,
        );
      }
      if (!widest || current.close > widest.close) widest = current;
    }
  }

  if (calendar.weekly.length === 0) {
    problems.push(
      'No opening hours: the calendar is never open, so business-hours SLA clocks could never run.',
    );
  }
  calendar.holidays.forEach((holiday, index) => {
    if (typeof holiday.date !== 'string' || !isIsoDate(holiday.date)) {
      problems.push(
        `Holiday #${index + 1}: "${String(holiday.date)}" is not a date in YYYY-MM-DD form.`,
      );
    }
  });
  return problems;
}

type CompiledCalendar = {
  zone: IANAZone;
  /** Per weekday, [open, close) in minutes since local midnight, sorted by open. */
  days: [number, number][][];
  holidays: Set<string>;
};

/**
 * Parses once per call. Throws only on what cannot be computed (unknown zone, unreadable or
 * inverted hours); overlapping intervals are merged and malformed holidays never match a day,
 * because a stored calendar should still yield SLA deadlines. validateCalendar reports all.
 */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  if (!IANAZone.isValidZone(calendar.timezone)) {
    throw new RangeError(`Unknown time zone "${calendar.timezone}" in business calendar.`);
  }
  const days: [number, number][][] = [[], [], [], [], [], [], []];
  for (const entry of calendar.weekly) {
    const open = parseMinutes(entry.open, false);
    const close = parseMinutes(entry.close, true);
    const list = days[entry.day];
    if (open === null || close === null || close <= open || !list) {
      throw new RangeError(
        `Invalid business hours ${JSON.stringify(entry)} (see validateCalendar).`,
      );
    }
    list.push([open, close]);
  }
  for (const list of days) list.sort((a, b) => a[0] - b[0]);
  return {
    zone: IANAZone.create(calendar.timezone),
    days,
    holidays: new Set(calendar.holidays.map((h) => h.date)),
  };
}

function offsetMs(zone: IANAZone, instant: number): number {
  return zone.offset(instant) * MINUTE;
}

/**
 * The first instant at which the zone's wall clock reads `wall` or later (wall = local time
 * written as if it were UTC ms). This gives every local time one instant, even across DST:
 * a time skipped by spring-forward maps to the moment of the jump (so an interval lying wholly
 * inside the gap is empty), and a time repeated by fall-back maps to its first occurrence.
 */
function firstInstantAtWall(zone: IANAZone, wall: number): number {
  const before = offsetMs(zone, wall - DAY);
  const after = offsetMs(zone, wall + DAY);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = wall - offset;
    if (offsetMs(zone, candidate) === offset && (best === null || candidate < best)) {
      best = candidate;
    }
  }
  if (best !== null) return best;
  // In a spring-forward gap: binary-search the transition between the two readings.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  const offsetAtLo = offsetMs(zone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === offsetAtLo) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Days since 1970-01-01 of the local date at `instant`. */
function localDayOf(zone: IANAZone, instant: number): number {
  return Math.floor((instant + offsetMs(zone, instant)) / DAY);
}

/** Open intervals of one local day as instants, sorted, disjoint, non-empty. */
function intervalsOfDay(compiled: CompiledCalendar, localDay: number): [number, number][] {
  const weekday = (((localDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const hours = compiled.days[weekday];
  if (!hours || hours.length === 0) return [];
  if (compiled.holidays.has(new Date(localDay * DAY).toISOString().slice(0, 10))) return [];
  const result: [number, number][] = [];
  for (const [open, close] of hours) {
    const start = firstInstantAtWall(compiled.zone, localDay * DAY + open * MINUTE);
    const end = firstInstantAtWall(compiled.zone, localDay * DAY + close * MINUTE);
    if (end <= start) continue; // wholly inside a DST gap
    const last = result[result.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else result.push([start, end]);
  }
  return result;
}

/**
 * Open intervals [start, end) with end > from, start clipped to from, in time order. Walks day
 * by day (not minute by minute); stops after `maxClosedDays` consecutive days with nothing open.
 */
function* openIntervalsFrom(
  compiled: CompiledCalendar,
  from: number,
  maxClosedDays: number,
): Generator<[number, number]> {
  // Start a day early: a fall-back at midnight can put `from` in the previous day's span.
  let localDay = localDayOf(compiled.zone, from) - 1;
  let closedDays = 0;
  while (closedDays <= maxClosedDays) {
    let yielded = false;
    for (const [start, end] of intervalsOfDay(compiled, localDay)) {
      if (end <= from) continue;
      yielded = true;
      yield [Math.max(start, from), end];
    }
    closedDays = yielded ? 0 : closedDays + 1;
    localDay++;
  }
}

export function isOpen(calendar: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  for (const [start] of openIntervalsFrom(compile(calendar), t, MAX_CLOSED_DAYS)) {
    return start <= t;
  }
  return false;
}

export function nextOpening(calendar: BusinessCalendar, at: Date): Date | null {
  for (const [start] of openIntervalsFrom(compile(calendar), at.getTime(), MAX_CLOSED_DAYS)) {
    return new Date(start);
  }
  return null;
}

/**
 * The earliest instant by which `ms` of open time has elapsed since `start`. When the last
 * millisecond falls at a closing time, that closing time is returned (due 18:00, not next
 * morning); with ms = 0 it is `start` itself. Throws when the calendar never opens again.
 */
export function addBusinessTime(calendar: BusinessCalendar, start: Date, ms: number): Date {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Business time must be a finite, non-negative duration, got ${ms}.`);
  }
  // Dates hold whole milliseconds; round up so a due time is never early.
  let remaining = Math.ceil(ms);
  if (remaining === 0) return new Date(start.getTime());
  for (const [from, to] of openIntervalsFrom(compile(calendar), start.getTime(), MAX_CLOSED_DAYS)) {
    if (remaining <= to - from) return new Date(from + remaining);
    remaining -= to - from;
  }
  throw new RangeError(
    `Business calendar has no open hours within ${MAX_CLOSED_DAYS} days of ${start.toISOString()}.`,
  );
}

/** Open milliseconds in [from, to); 0 when to <= from. */
export function businessTimeBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const end = to.getTime();
  if (end <= from.getTime()) return 0;
  let total = 0;
  // Enough closed days to reach `to`, so a never-open calendar still ends the walk.
  const spanDays = Math.ceil((end - from.getTime()) / DAY) + 2;
  for (const [start, stop] of openIntervalsFrom(compile(calendar), from.getTime(), spanDays)) {
    if (start >= end) break;
    total += Math.min(stop, end) - start;
  }
  return total;
}
