import { CalendarOutlined } from '@ant-design/icons';
import type { ErrorLike } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { App, Button, Card, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyBookingFragment } from '../../gql/graphql';
import { formatDateTime, formatRange, useLanguage, useLocalized } from '../../i18n';
import { localizeServerMessage } from '../../graphql/errors';
import { newIdempotencyKey } from '../../shared/ids';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { StatusTag } from '../../shared/StatusTag';
import { downloadIcs } from './ics';
import { CancelMyBooking } from './operations';
import { canCancel, refundPreview } from './refund';

/** One booking: what, where, when, its status as it changes, and what can be done with it. */
export function BookingCard({ booking }: { booking: MyBookingFragment }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const localized = useLocalized();
  const [cancelling, setCancelling] = useState(false);
  const title = localized(booking.listing.title, booking.listing.titleEn);
  const community = booking.community ? localized(booking.community.name, booking.community.nameEn) : booking.communityId;
  const location = booking.resource ? localized(booking.resource.location, booking.resource.locationEn) : community;
  const calendarable = booking.status === 'CONFIRMED' || booking.status === 'AWAITING_APPROVAL';

  const addToCalendar = () =>
    downloadIcs(
      {
        uid: `${booking.id}@linli`,
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        title,
        location,
        description: `${community} · ${t(`bookingStatus.${booking.status}`)} · ${t('booking.places', { count: booking.quantity })}`,
      },
      `linli-${booking.id.slice(0, 8)}.ics`,
    );

  return (
    <Card
      size="small"
      className="booking-card"
      data-booking-id={booking.id}
      title={<h2 className="card-heading">{title}</h2>}
      extra={<StatusTag status={booking.status} />}
    >
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={[4, 4]}>
          <Tag color="blue">{community}</Tag>
          <Typography.Text>{formatRange(booking.startsAt, booking.endsAt, language)}</Typography.Text>
        </Space>
        <Typography.Text type="secondary">
          {t('booking.places', { count: booking.quantity })} · {t('common.credits', { count: booking.priceCredits })} · {location}
        </Typography.Text>
        {booking.status === 'AWAITING_APPROVAL' && booking.approvalDeadline ? (
          <Typography.Text>{t('bookings.awaiting', { community, when: formatDateTime(booking.approvalDeadline, language) })}</Typography.Text>
        ) : null}
        {booking.status === 'REJECTED' && booking.rejectionReason ? (
          <Typography.Text type="danger">{t('bookings.rejected', { reason: localizeServerMessage(booking.rejectionReason, language) })}</Typography.Text>
        ) : null}
        {booking.status === 'CANCELLED' ? <Typography.Text>{t('bookings.refunded', { count: booking.refundedCredits })}</Typography.Text> : null}
        {booking.status === 'FAILED' && booking.failure ? (
          <Typography.Text type="danger">{localizeServerMessage(booking.failure.message, language)}</Typography.Text>
        ) : null}
        <Space wrap className="booking-actions">
          {calendarable ? (
            <Button icon={<CalendarOutlined />} onClick={addToCalendar}>
              {t('bookings.addToCalendar')}
            </Button>
          ) : null}
          {canCancel(booking, new Date()) ? (
            <Button danger onClick={() => setCancelling(true)}>
              {t('bookings.cancel')}
            </Button>
          ) : null}
        </Space>
      </Space>
      {cancelling ? <CancelDialog booking={booking} title={title} onClose={() => setCancelling(false)} /> : null}
    </Card>
  );
}

/** Says what comes back before anything is cancelled. */
function CancelDialog({ booking, title, onClose }: { booking: MyBookingFragment; title: string; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [language] = useLanguage();
  const [key] = useState(newIdempotencyKey);
  const [now] = useState(() => new Date());
  const [error, setError] = useState<ErrorLike | null>(null);
  const [cancel, { loading }] = useMutation(CancelMyBooking);
  const preview = refundPreview(booking, now);

  const confirm = async () => {
    setError(null);
    try {
      const result = await cancel({ variables: { id: booking.id, idempotencyKey: key } });
      const refunded = result.data?.cancelBooking.refundedCredits ?? preview.credits;
      void message.success(preview.kind === 'release' ? t('bookings.cancelledReleased') : t('bookings.cancelledRefunded', { count: refunded }));
      onClose();
    } catch (caught) {
      setError(caught as ErrorLike);
    }
  };

  return (
    <Modal
      open
      title={t('bookings.cancelTitle', { title })}
      okText={t('bookings.cancelConfirm')}
      okButtonProps={{ danger: true, loading }}
      cancelText={t('bookings.keep')}
      onOk={() => void confirm()}
      onCancel={onClose}
    >
      <p>{formatRange(booking.startsAt, booking.endsAt, language)}</p>
      <p className="refund-preview" data-testid="refund-preview">
        {preview.kind === 'release'
          ? t('bookings.previewRelease', { count: preview.credits })
          : preview.percent === 100
            ? t('bookings.previewFull', { count: preview.credits })
            : t('bookings.previewPartial', { count: preview.credits, price: booking.priceCredits, percent: preview.percent, hours: booking.listing.fullRefundHoursBefore })}
      </p>
      {error ? <ProblemAlert error={error} /> : null}
    </Modal>
  );
}
