import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BookingStatus } from '../gql/graphql';

const COLORS: Record<BookingStatus, string> = {
  PENDING: 'processing',
  AWAITING_APPROVAL: 'warning',
  CONFIRMED: 'success',
  REJECTED: 'error',
  CANCELLED: 'default',
  EXPIRED: 'default',
  FAILED: 'error',
};

export function StatusTag({ status }: { status: BookingStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {t(`bookingStatus.${status}`)}
    </Tag>
  );
}
