import { Card, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskBookingFragment } from '../../gql/graphql';
import { localizeServerMessage } from '../../graphql/errors';
import { formatDateTime, formatRange, useLanguage, useLocalized } from '../../i18n';
import { StatusTag } from '../../shared/StatusTag';

/** A booking of one of the community's resources, as its staff see it. */
export function DeskBookingItem({ booking, communityNames, actions }: { booking: DeskBookingFragment; communityNames: Map<string, string>; actions?: ReactNode }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const localized = useLocalized();
  return (
    <Card
      size="small"
      className="booking-card"
      data-booking-id={booking.id}
      title={<h3 className="card-heading">{localized(booking.listing.title, booking.listing.titleEn)}</h3>}
      extra={<StatusTag status={booking.status} />}
    >
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Text>{formatRange(booking.startsAt, booking.endsAt, language)}</Typography.Text>
        <Space wrap size={[4, 4]}>
          <Tag>{t('desk.resident', { id: booking.residentId ?? '—' })}</Tag>
          <Tag color="blue">{communityNames.get(booking.residentCommunityId) ?? booking.residentCommunityId}</Tag>
          <Typography.Text type="secondary">
            {t('booking.places', { count: booking.quantity })} · {t('common.credits', { count: booking.priceCredits })}
          </Typography.Text>
        </Space>
        {booking.status === 'AWAITING_APPROVAL' && booking.approvalDeadline ? (
          <Typography.Text type="warning">{t('desk.deadline', { when: formatDateTime(booking.approvalDeadline, language) })}</Typography.Text>
        ) : null}
        {booking.status === 'REJECTED' && booking.rejectionReason ? (
          <Typography.Text type="secondary">{t('bookings.rejected', { reason: localizeServerMessage(booking.rejectionReason, language) })}</Typography.Text>
        ) : null}
        {actions ? <Space wrap>{actions}</Space> : null}
      </Space>
    </Card>
  );
}
