/** Calendar fields of one instant in one time zone. */
export interface ZonedTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Day of the year, 1 to 366. */
  dayOfYear: number;
  /** Offset from UTC in minutes, positive east of Greenwich. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Returns a cached formatter, because building one per write costs more than the write's path work. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Tests whether the runtime's Intl data supports an IANA time zone name such as `Europe/Berlin`. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Splits an instant into wall-clock fields of `timeZone`, using the runtime's Intl time zone data. */
export function zonedTime(instant: Date, timeZone: string): ZonedTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }

  const year = fields.year!;
  const month = fields.month!;
  const day = fields.day!;
  const hour = fields.hour!;
  const minute = fields.minute!;
  const second = fields.second!;
  const millisecond = instant.getUTCMilliseconds();

  const wallClockAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const offsetMinutes = Math.round((wallClockAsUtc - instant.getTime()) / 60_000);
  const dayOfYear = (Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;

  return { year, month, day, hour, minute, second, millisecond, dayOfYear, offsetMinutes };
}
