import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Grid, Radio, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShortDate, formatTime, TIME_ZONE, useLanguage, type Language } from '../../i18n';
import type { Day, Slot } from './week';

export interface WeekCalendarProps {
  days: Day[] | null;
  /** Start times of the slots the current selection covers. */
  selected: ReadonlySet<string>;
  capacity: number;
  onPick(slot: Slot): void;
  onEarlier?: () => void;
  onLater?: () => void;
}

/**
 * Seven days of slots, free and taken: a column per day on a wide screen; on a phone, a row
 * of day buttons and that day's slots. Each slot is a button that says (to a screen reader,
 * in full) its date, time and how many places are left.
 */
export function WeekCalendar({ days, selected, capacity, onPick, onEarlier, onLater }: WeekCalendarProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const screens = Grid.useBreakpoint();
  const first = days?.at(0);
  const last = days?.at(-1);
  const range = first && last ? `${formatShortDate(first.start.toDate(), language)} – ${formatShortDate(last.start.toDate(), language)}` : '';
  const firstFreeDay = days?.find((d) => d.slots.some((s) => s.availableQuantity > 0))?.key ?? first?.key;
  const [chosenDay, setChosenDay] = useState<string | null>(null);
  const shownDay = days?.find((d) => d.key === chosenDay) ?? days?.find((d) => d.key === firstFreeDay);

  const slotButton = (slot: Slot) => {
    const free = slot.availableQuantity > 0;
    const isSelected = selected.has(slot.startsAt);
    const left = capacity > 1 && free ? t('calendar.left', { count: slot.availableQuantity }) : free ? t('calendar.free') : t('calendar.full');
    return (
      <Button
        key={slot.startsAt}
        size="small"
        className="slot"
        type={isSelected ? 'primary' : 'default'}
        disabled={!free}
        aria-pressed={isSelected}
        data-slot={slot.startsAt}
        data-free={free}
        onClick={() => onPick(slot)}
      >
        <span className="visually-hidden">{formatShortDate(slot.startsAt, language)} </span>
        <span className="slot-time">{formatTime(slot.startsAt, language)}</span>
        <span className="visually-hidden">–{formatTime(slot.endsAt, language)},</span>
        <span className="slot-left">{left}</span>
      </Button>
    );
  };
  const dayBody = (day: Day) =>
    day.slots.length === 0 ? <Typography.Text type="secondary">{t('calendar.closed')}</Typography.Text> : <div className="slots">{day.slots.map(slotButton)}</div>;

  return (
    <section className="week" aria-labelledby="week-heading">
      <div className="week-header">
        <h2 id="week-heading" className="section-heading">
          {t('calendar.title')}
        </h2>
        <Space>
          <Button icon={<LeftOutlined />} onClick={onEarlier} disabled={!onEarlier} aria-label={t('calendar.earlier')} />
          <span className="week-range" aria-live="polite">
            {range}
          </span>
          <Button icon={<RightOutlined />} onClick={onLater} disabled={!onLater} aria-label={t('calendar.later')} />
        </Space>
      </div>
      {!days ? (
        <Skeleton active />
      ) : screens.md ? (
        <div className="week-grid">
          {days.map((day) => (
            <div key={day.key} className="week-day" role="group" aria-label={formatShortDate(day.start.toDate(), language)}>
              <div className="week-day-name" aria-hidden="true">
                {formatShortDate(day.start.toDate(), language)}
              </div>
              {dayBody(day)}
            </div>
          ))}
        </div>
      ) : (
        <>
          <Radio.Group
            className="day-picker"
            optionType="button"
            size="small"
            aria-label={t('calendar.day')}
            value={shownDay?.key}
            onChange={(e) => setChosenDay(String(e.target.value))}
            options={days.map((day) => ({ value: day.key, label: dayLabel(day, language) }))}
          />
          {shownDay ? (
            <div className="week-day week-day-single" role="group" aria-label={formatShortDate(shownDay.start.toDate(), language)}>
              {dayBody(shownDay)}
            </div>
          ) : null}
        </>
      )}
      <p className="legend" aria-hidden="true">
        <span className="legend-free">{t('calendar.legendFree')}</span>
        <span className="legend-selected">{t('calendar.legendSelected')}</span>
        <span className="legend-full">{t('calendar.legendFull')}</span>
      </p>
    </section>
  );
}

/** "25 周三" / "Wed 25": short enough for seven buttons on a phone. */
function dayLabel(day: Day, language: Language): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', { day: 'numeric', weekday: 'short', timeZone: TIME_ZONE }).format(day.start.toDate());
}
