import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Language } from './languages';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every community in the federation keeps Shanghai time; so does every date the client shows. */
export const TIME_ZONE = 'Asia/Shanghai';

const INTL_LOCALE: Record<Language, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };
const formats = new Map<string, Intl.DateTimeFormat>();

function format(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[language], { timeZone: TIME_ZONE, hourCycle: 'h23', ...options });
    formats.set(key, f);
  }
  return f;
}

type When = string | Date | number;
const asDate = (when: When) => (when instanceof Date ? when : new Date(when));

const SHORT_DATE: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', weekday: 'short' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** 11月25日周二 · Tue 25 Nov */
export const formatShortDate = (when: When, language: Language) => format(language, SHORT_DATE).format(asDate(when));
/** 14:00 */
export const formatTime = (when: When, language: Language) => format(language, TIME).format(asDate(when));
/** 11月25日周二 14:00 · Tue 25 Nov, 14:00 */
export const formatDateTime = (when: When, language: Language) => format(language, { ...SHORT_DATE, ...TIME }).format(asDate(when));
/** 11月25日周二 14:00–16:00, or both dates when the range crosses midnight. */
export function formatRange(start: When, end: When, language: Language): string {
  const sameDay = shanghaiDateKey(start) === shanghaiDateKey(end) || shanghaiDateKey(asDate(end).getTime() - 1) === shanghaiDateKey(start);
  return sameDay ? `${formatDateTime(start, language)}–${formatTime(end, language)}` : `${formatDateTime(start, language)} – ${formatDateTime(end, language)}`;
}

/** Midnight in Shanghai of the day `when` falls on there. */
export const shanghaiDay = (when: When | Dayjs = new Date()): Dayjs => dayjs(when).tz(TIME_ZONE).startOf('day');

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDateKey = (when: When): string => dayjs(when).tz(TIME_ZONE).format('YYYY-MM-DD');

/** Midnight in Shanghai of a calendar date picked in the browser's own zone. */
export const shanghaiDayOfPicked = (picked: Dayjs): Dayjs => dayjs.tz(picked.format('YYYY-MM-DD'), TIME_ZONE);
