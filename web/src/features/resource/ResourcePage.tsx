import { EnvironmentOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Card, Col, Descriptions, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { ListingDetailQuery } from '../../gql/graphql';
import { shanghaiDay, useLanguage, useLocalized, type Language } from '../../i18n';
import { PageTitle } from '../../shared/PageTitle';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { BookingPanel } from './BookingPanel';
import { describeWeeklyHours } from './hours';
import { ListingDetail, ListingWeek } from './operations';
import { WeekCalendar } from './WeekCalendar';
import { DAYS_SHOWN, slotCountChoices, weekOf, type Selection, type Slot } from './week';

type Listing = NonNullable<ListingDetailQuery['listing']>;

export default function ResourcePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const localized = useLocalized();
  const { data, loading, error } = useQuery(ListingDetail, { variables: { id } });
  const listing = data?.listing;

  if (error) return <ProblemAlert error={error} />;
  if (loading && !listing) return <Skeleton active />;
  if (!listing) return <Result status="404" title={t('resource.notFound')} />;
  const title = localized(listing.title, listing.titleEn);
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <ListingBody listing={listing} />
    </>
  );
}

function ListingBody({ listing }: { listing: Listing }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const localized = useLocalized();
  const resource = listing.resource;
  const communityName = listing.community ? localized(listing.community.name, listing.community.nameEn) : listing.communityId;
  const today = useMemo(() => shanghaiDay(), []);
  const [first, setFirst] = useState<Dayjs>(today);
  const [selection, setSelection] = useState<Selection | null>(null);
  const week = useQuery(ListingWeek, {
    variables: { id: listing.id, from: first.toISOString(), to: first.add(DAYS_SHOWN, 'day').toISOString() },
    skip: !resource,
    fetchPolicy: 'cache-and-network',
  });
  const slots: Slot[] = week.data?.listing?.resource?.availability ?? [];
  const days = week.data ? weekOf(first, slots) : null;
  const selected = useMemo(() => {
    if (!selection) return new Set<string>();
    const sorted = [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const start = sorted.findIndex((s) => s.startsAt === selection.startsAt);
    return new Set(start < 0 ? [] : sorted.slice(start, start + selection.slotCount).map((s) => s.startsAt));
  }, [selection, slots]);

  if (!resource) return <Alert type="warning" showIcon title={t('resource.communityUnavailable', { community: communityName })} />;
  const open = listing.status === 'PUBLISHED';
  const policy = resource.policy;
  const lastDay = today.add(policy.maxDaysAhead, 'day');
  const pick = (slot: Slot) => {
    const counts = slotCountChoices(slots, slot.startsAt, policy);
    setSelection({ startsAt: slot.startsAt, slotCount: counts[0] ?? 1, quantity: 1 });
  };
  const moveWeek = (days: number) => {
    setSelection(null);
    setFirst(first.add(days, 'day'));
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={14}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap size={[4, 4]}>
            <Tag color="blue">{communityName}</Tag>
            <Tag>{t(`kinds.${listing.kind}`)}</Tag>
            {policy.requiresApproval ? <Tag color="orange">{t('listing.needsApproval')}</Tag> : <Tag color="green">{t('listing.instant')}</Tag>}
          </Space>
          <Typography.Paragraph>{localized(resource.description, resource.descriptionEn)}</Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            <EnvironmentOutlined aria-hidden="true" /> {localized(resource.location, resource.locationEn)}
          </Typography.Paragraph>
          {week.error ? <ProblemAlert error={week.error} /> : null}
          <WeekCalendar
            days={days}
            selected={selected}
            capacity={resource.capacity}
            onPick={pick}
            onEarlier={first.isAfter(today) ? () => moveWeek(-DAYS_SHOWN) : undefined}
            onLater={first.add(DAYS_SHOWN, 'day').isBefore(lastDay) ? () => moveWeek(DAYS_SHOWN) : undefined}
          />
        </Space>
      </Col>
      <Col xs={24} lg={10}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Card>
            {open ? (
              <BookingPanel
                listingId={listing.id}
                pricePerSlot={listing.priceCreditsPerSlot}
                policy={policy}
                communityName={communityName}
                slots={slots}
                selection={selection}
                onSelectionChange={setSelection}
                onCalendarStale={() => void week.refetch()}
              />
            ) : (
              <Alert type="warning" showIcon title={t('resource.withdrawn')} />
            )}
          </Card>
          <Card size="small" title={<h2 className="card-heading">{t('resource.policy')}</h2>}>
            <PolicyFacts listing={listing} language={language} />
          </Card>
        </Space>
      </Col>
    </Row>
  );
}

function PolicyFacts({ listing, language }: { listing: Listing; language: Language }) {
  const { t } = useTranslation();
  const resource = listing.resource;
  if (!resource) return null;
  const policy = resource.policy;
  const weekday = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday: ISO weekday n is that date plus n - 1 days.
  const dayName = (n: number) => weekday.format(new Date(Date.UTC(2024, 0, n)));
  const hours = describeWeeklyHours(resource.weeklyHours, dayName, language === 'en' ? ', ' : '、');
  return (
    <Descriptions size="small" column={1}>
      <Descriptions.Item label={t('policy.approval')}>{policy.requiresApproval ? t('policy.approvalYes') : t('policy.approvalNo')}</Descriptions.Item>
      <Descriptions.Item label={t('policy.capacity')}>{t('policy.capacityValue', { count: resource.capacity })}</Descriptions.Item>
      <Descriptions.Item label={t('policy.duration')}>
        {policy.minDurationMinutes === policy.maxDurationMinutes
          ? t('policy.durationFixed', { minutes: policy.minDurationMinutes })
          : t('policy.durationValue', { min: policy.minDurationMinutes, max: policy.maxDurationMinutes, slot: policy.slotMinutes })}
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.window')}>{t('policy.windowValue', { lead: policy.leadTimeMinutes, days: policy.maxDaysAhead })}</Descriptions.Item>
      <Descriptions.Item label={t('policy.price')}>
        {listing.priceCreditsPerSlot === 0 ? t('listing.free') : t('listing.pricePerSlot', { credits: listing.priceCreditsPerSlot, minutes: policy.slotMinutes })}
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.cancellation')}>
        {t('policy.cancellationValue', { hours: listing.fullRefundHoursBefore, percent: listing.lateCancellationRefundPercent })}
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.hours')}>
        <span>
          {hours.map((line) => (
            <span key={line} className="hours-line">
              {line}
            </span>
          ))}
        </span>
      </Descriptions.Item>
    </Descriptions>
  );
}
